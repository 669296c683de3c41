package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.FakeTicker;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-user cache of upstream mode: cached data only for a credential ZITADEL confirmed for the
 * org and user within {@code cache.permissionTtl}, refetched after {@code cache.ttl}, dropped by
 * writes through metagate, and rendered exactly as ZITADEL renders it. Time is a fake ticker.
 */
@ExtendWith(Invariants.class)
class UpstreamCacheTest {
  private static final String LIST = "ListUserMetadata";
  private static final AtomicInteger USERS = new AtomicInteger();
  private static TestIssuer issuer;
  private static FakeZitadel fake;
  private static FakeTicker ticker;
  private static TestGateway gw;
  private static String owner;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    fake = FakeZitadel.start(issuer);
    ticker = new FakeTicker();
    gw = Upstreams.gateway(fake, Map.of(), ticker); // ttl 10s, permissionTtl 30s
    owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
  }

  @AfterAll
  static void stop() {
    gw.close();
    fake.close();
    issuer.close();
  }

  @BeforeEach
  void healed() {
    fake.heal();
    fake.resetCounters();
  }

  private static String newUser() {
    return "cache-user-" + USERS.incrementAndGet();
  }

  /** A user with keys a, b, c set directly at the fake (not through metagate). */
  private static String userWithThreeKeys() {
    String user = newUser();
    var r =
        fake.http()
            .post(
                path(user, "_bulk"),
                owner,
                "{\"metadata\":[{\"key\":\"a\",\"value\":\"YQ==\"},{\"key\":\"b\",\"value\":\"Yg==\"},"
                    + "{\"key\":\"c\",\"value\":\"Yw==\"}]}");
    assertThat(r.status()).isEqualTo(200);
    fake.resetCounters();
    return user;
  }

  private static String valueOf(Http.Response get) {
    return get.json().getJsonObject("metadata").getString("value");
  }

  @Test
  void secondReadOfConfirmedCredential_makesZeroUpstreamCalls() {
    String user = userWithThreeKeys();
    assertThat(valueOf(gw.http().get(path(user, "a"), owner))).isEqualTo("YQ==");
    assertThat(fake.calls(LIST)).isEqualTo(1);
    assertThat(valueOf(gw.http().get(path(user, "b"), owner))).isEqualTo("Yg==");
    assertThat(gw.http().post(path(user, "_search"), owner, "{}").status()).isEqualTo(200);
    assertThat(fake.totalCalls()).isEqualTo(1);
    assertThat(gw.admin().get("/metrics", null).body())
        .contains("metagate_cache_requests_total{result=\"hit\"}");
  }

  @Test
  void getOfMissingKeyFromCache_isExactlyZitadels404() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner);
    var mine = gw.http().get(path(user, "nope"), owner);
    assertThat(fake.calls(LIST)).isEqualTo(1);
    var theirs = fake.http().get(path(user, "nope"), owner);
    assertThat(mine.status()).isEqualTo(404);
    assertThat(mine.body()).isEqualTo(theirs.body());
    assertThat(mine.body()).contains("QUERY-Rgh32");
  }

  @Test
  void getAndListFromCache_renderByteForByteAsZitadel() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner);
    List<String> bodies =
        List.of(
            "{}",
            "{\"query\":{\"limit\":2}}",
            "{\"query\":{\"offset\":\"1\",\"limit\":1,\"asc\":true}}",
            "{\"query\":{\"offset\":\"5\"}}",
            "{\"queries\":[{\"keyQuery\":{\"key\":\"B\",\"method\":\"TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE\"}}]}",
            "{\"queries\":[{\"keyQuery\":{\"key\":\"zz\",\"method\":\"TEXT_QUERY_METHOD_STARTS_WITH\"}}]}");
    for (String body : bodies) {
      var mine = gw.http().post(path(user, "_search"), owner, body);
      var theirs = fake.http().post(path(user, "_search"), owner, body);
      assertThat(mine.status()).as(body).isEqualTo(theirs.status());
      assertThat(mine.body()).as(body).isEqualTo(theirs.body());
    }
    assertThat(gw.http().get(path(user, "c"), owner).body())
        .isEqualTo(fake.http().get(path(user, "c"), owner).body());
    assertThat(fake.calls(LIST)).isEqualTo(1 + bodies.size()); // 1 fill, the rest direct
  }

  @Test
  void emptyUserListedFromCache_rendersAsZitadel() {
    String user = newUser();
    var mine = gw.http().post(path(user, "_search"), owner, "{}");
    var again = gw.http().post(path(user, "_search"), owner, "{}");
    assertThat(fake.calls(LIST)).isEqualTo(1);
    var theirs = fake.http().post(path(user, "_search"), owner, "{}");
    assertThat(mine.body()).isEqualTo(theirs.body());
    assertThat(again.body()).isEqualTo(theirs.body());
  }

  @Test
  void confirmationOlderThanPermissionTtl_readGoesUpstreamAgain() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner);
    ticker.advance(Duration.ofSeconds(9)); // data still fresh (ttl 10s)
    gw.http().get(path(user, "a"), owner);
    assertThat(fake.calls(LIST)).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(22)); // 31s after the confirmation
    gw.http().get(path(user, "a"), owner);
    assertThat(fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void entryOlderThanCacheTtl_isRefetched_andShowsWritesThatBypassedMetagate() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner);
    fake.http().post(path(user, "a"), owner, "{\"value\":\"bmV3\"}"); // bypasses metagate
    assertThat(valueOf(gw.http().get(path(user, "a"), owner))).isEqualTo("YQ==");
    ticker.advance(Duration.ofSeconds(11));
    assertThat(valueOf(gw.http().get(path(user, "a"), owner))).isEqualTo("bmV3");
    assertThat(fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void writeThroughMetagate_invalidatesTheEntry_nextReadSeesTheNewValue() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner);
    assertThat(gw.http().post(path(user, "a"), owner, "{\"value\":\"bmV3\"}").status())
        .isEqualTo(200);
    assertThat(valueOf(gw.http().get(path(user, "a"), owner))).isEqualTo("bmV3");
    assertThat(gw.http().delete(path(user, "b"), owner).status()).isEqualTo(200);
    assertThat(gw.http().get(path(user, "b"), owner).status()).isEqualTo(404);
    assertThat(fake.calls(LIST)).isEqualTo(3);
  }

  @Test
  void failedWriteThroughMetagate_stillInvalidatesTheEntry() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner);
    fake.fault("SetUserMetadata", Fault.status(500));
    assertThat(gw.http().post(path(user, "a"), owner, "{\"value\":\"bmV3\"}").status())
        .isEqualTo(500);
    gw.http().get(path(user, "a"), owner);
    assertThat(fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void rejectedAndUnseenTokens_neverGetCachedData_butZitadels401() {
    String user = userWithThreeKeys();
    gw.http().get(path(user, "a"), owner); // cache filled, owner confirmed
    String revoked = issuer.token("owner-2", Upstreams.ORG, "ORG_OWNER");
    fake.revoke(revoked);
    var mine = gw.http().get(path(user, "a"), revoked);
    assertThat(mine.status()).isEqualTo(401);
    assertThat(mine.body()).isEqualTo(fake.http().get(path(user, "a"), revoked).body());
    assertThat(gw.http().get(path(user, "a"), "never-seen").status()).isEqualTo(401);
    assertThat(gw.http().post(path(user, "_search"), revoked, "{}").status()).isEqualTo(401);
    assertThat(fake.calls(LIST)).isEqualTo(1 + 3);
  }

  @Test
  void confirmedTokenRevokedLater_getsZitadels401OncePermissionTtlPassed_andNoCacheAfter() {
    String user = userWithThreeKeys();
    String token = issuer.token("owner-3", Upstreams.ORG, "ORG_OWNER");
    gw.http().get(path(user, "a"), owner);
    assertThat(gw.http().get(path(user, "a"), token).status()).isEqualTo(200);
    fake.revoke(token);
    ticker.advance(Duration.ofSeconds(31));
    assertThat(gw.http().get(path(user, "a"), owner).status()).isEqualTo(200); // refills
    assertThat(gw.http().get(path(user, "a"), token).status()).isEqualTo(401);
    assertThat(gw.http().get(path(user, "a"), token).status()).isEqualTo(401);
    assertThat(fake.calls(LIST)).isEqualTo(5); // every read of the rejected token went upstream
  }

  @Test
  void tokenConfirmedForOrgA_readingOrgB_goesUpstreamAndGetsZitadels403() {
    String user = newUser();
    String ownerB = issuer.token("owner-b", "org-2", "ORG_OWNER");
    var set =
        gw.http()
            .call("POST", path(user, "k"))
            .token(ownerB)
            .header("x-zitadel-orgid", "org-2")
            .body("{\"value\":\"YQ==\"}")
            .send();
    assertThat(set.status()).isEqualTo(200);
    var byB =
        gw.http().call("GET", path(user, "k")).token(ownerB).header("x-zitadel-orgid", "org-2");
    assertThat(byB.send().status()).isEqualTo(200);
    assertThat(gw.http().get(path(user, "k"), owner).status()).isEqualTo(404); // org A's view
    fake.resetCounters();
    var mine =
        gw.http()
            .call("GET", path(user, "k"))
            .token(owner)
            .header("x-zitadel-orgid", "org-2")
            .send();
    assertThat(mine.status()).isEqualTo(403);
    assertThat(fake.calls(LIST)).isEqualTo(1);
    var theirs =
        fake.http()
            .call("GET", path(user, "k"))
            .token(owner)
            .header("x-zitadel-orgid", "org-2")
            .send();
    assertThat(mine.body()).isEqualTo(theirs.body());
  }

  @Test
  void twentyConcurrentMisses_shareOneUpstreamListing() throws Exception {
    String user = userWithThreeKeys();
    fake.fault(LIST, Fault.latency(300));
    List<CompletableFuture<Http.Response>> reads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      reads.add(CompletableFuture.supplyAsync(() -> gw.http().get(path(user, "a"), owner)));
    }
    for (var r : reads) {
      assertThat(valueOf(r.get())).isEqualTo("YQ==");
    }
    assertThat(fake.calls(LIST)).isEqualTo(1);
  }
}
