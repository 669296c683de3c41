package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.FakeTicker;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-user cache of upstream mode: cached data only for a credential ZITADEL confirmed for the
 * org and user within {@code cache.permissionTtl}, refetched after {@code cache.ttl}, dropped by
 * writes through metagate, and rendered exactly as ZITADEL renders it. Time is a fake ticker.
 */
@ExtendWith(Invariants.class)
class UpstreamCacheTest {
  private static final String LIST = "ListUserMetadata";
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final FakeTicker ticker = new FakeTicker();

  @RegisterExtension
  static final Sidecar up = Sidecar.with(Map.of()).ticker(ticker); // ttl 10s, permissionTtl 30s

  private static String newUser() {
    return "cache-user-" + USERS.incrementAndGet();
  }

  /** A user with keys a, b, c set directly at the fake (not through metagate). */
  private static String userWithThreeKeys() {
    String user = newUser();
    var r =
        up.fake
            .http()
            .post(
                path(user, "_bulk"),
                up.owner,
                "{\"metadata\":[{\"key\":\"a\",\"value\":\"YQ==\"},{\"key\":\"b\",\"value\":\"Yg==\"},"
                    + "{\"key\":\"c\",\"value\":\"Yw==\"}]}");
    assertThat(r.status()).isEqualTo(200);
    up.fake.resetCounters();
    return user;
  }

  private static String valueOf(Http.Response get) {
    return get.json().getJsonObject("metadata").getString("value");
  }

  @Test
  void secondReadOfConfirmedCredential_makesZeroUpstreamCalls() {
    String user = userWithThreeKeys();
    assertThat(valueOf(up.gw.http().get(path(user, "a"), up.owner))).isEqualTo("YQ==");
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
    assertThat(valueOf(up.gw.http().get(path(user, "b"), up.owner))).isEqualTo("Yg==");
    assertThat(up.gw.http().post(path(user, "_search"), up.owner, "{}").status()).isEqualTo(200);
    assertThat(up.fake.totalCalls()).isEqualTo(1);
    assertThat(up.gw.admin().get("/metrics", null).body())
        .contains("metagate_cache_requests_total{result=\"hit\"}");
  }

  @Test
  void getOfMissingKeyFromCache_isExactlyZitadels404() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner);
    var mine = up.gw.http().get(path(user, "nope"), up.owner);
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
    var theirs = up.fake.http().get(path(user, "nope"), up.owner);
    assertThat(mine.status()).isEqualTo(404);
    assertThat(mine.body()).isEqualTo(theirs.body());
    assertThat(mine.body()).contains("QUERY-Rgh32");
  }

  @Test
  void getAndListFromCache_renderByteForByteAsZitadel() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner);
    List<String> bodies =
        List.of(
            "{}",
            "{\"query\":{\"limit\":2}}",
            "{\"query\":{\"offset\":\"1\",\"limit\":1,\"asc\":true}}",
            "{\"query\":{\"offset\":\"5\"}}",
            "{\"queries\":[{\"keyQuery\":{\"key\":\"B\",\"method\":\"TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE\"}}]}",
            "{\"queries\":[{\"keyQuery\":{\"key\":\"zz\",\"method\":\"TEXT_QUERY_METHOD_STARTS_WITH\"}}]}");
    for (String body : bodies) {
      var mine = up.gw.http().post(path(user, "_search"), up.owner, body);
      var theirs = up.fake.http().post(path(user, "_search"), up.owner, body);
      assertThat(mine.status()).as(body).isEqualTo(theirs.status());
      assertThat(mine.body()).as(body).isEqualTo(theirs.body());
    }
    assertThat(up.gw.http().get(path(user, "c"), up.owner).body())
        .isEqualTo(up.fake.http().get(path(user, "c"), up.owner).body());
    assertThat(up.fake.calls(LIST)).isEqualTo(1 + bodies.size()); // 1 fill, the rest direct
  }

  @Test
  void emptyUserListedFromCache_rendersAsZitadel() {
    String user = newUser();
    var mine = up.gw.http().post(path(user, "_search"), up.owner, "{}");
    var again = up.gw.http().post(path(user, "_search"), up.owner, "{}");
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
    var theirs = up.fake.http().post(path(user, "_search"), up.owner, "{}");
    assertThat(mine.body()).isEqualTo(theirs.body());
    assertThat(again.body()).isEqualTo(theirs.body());
  }

  @Test
  void confirmationOlderThanPermissionTtl_readGoesUpstreamAgain() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner);
    ticker.advance(Duration.ofSeconds(9)); // data still fresh (ttl 10s)
    up.gw.http().get(path(user, "a"), up.owner);
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(22)); // 31s after the confirmation
    up.gw.http().get(path(user, "a"), up.owner);
    assertThat(up.fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void entryOlderThanCacheTtl_isRefetched_andShowsWritesThatBypassedMetagate() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner);
    up.fake.http().post(path(user, "a"), up.owner, "{\"value\":\"bmV3\"}"); // bypasses metagate
    assertThat(valueOf(up.gw.http().get(path(user, "a"), up.owner))).isEqualTo("YQ==");
    ticker.advance(Duration.ofSeconds(11));
    assertThat(valueOf(up.gw.http().get(path(user, "a"), up.owner))).isEqualTo("bmV3");
    assertThat(up.fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void writeThroughMetagate_invalidatesTheEntry_nextReadSeesTheNewValue() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner);
    assertThat(up.gw.http().post(path(user, "a"), up.owner, "{\"value\":\"bmV3\"}").status())
        .isEqualTo(200);
    assertThat(valueOf(up.gw.http().get(path(user, "a"), up.owner))).isEqualTo("bmV3");
    assertThat(up.gw.http().delete(path(user, "b"), up.owner).status()).isEqualTo(200);
    assertThat(up.gw.http().get(path(user, "b"), up.owner).status()).isEqualTo(404);
    assertThat(up.fake.calls(LIST)).isEqualTo(3);
  }

  @Test
  void failedWriteThroughMetagate_stillInvalidatesTheEntry() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner);
    up.fake.fault("SetUserMetadata", Fault.status(500));
    assertThat(up.gw.http().post(path(user, "a"), up.owner, "{\"value\":\"bmV3\"}").status())
        .isEqualTo(500);
    up.gw.http().get(path(user, "a"), up.owner);
    assertThat(up.fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void rejectedAndUnseenTokens_neverGetCachedData_butZitadels401() {
    String user = userWithThreeKeys();
    up.gw.http().get(path(user, "a"), up.owner); // cache filled, owner confirmed
    String revoked = up.issuer.token("owner-2", Upstreams.ORG, "ORG_OWNER");
    up.fake.revoke(revoked);
    var mine = up.gw.http().get(path(user, "a"), revoked);
    assertThat(mine.status()).isEqualTo(401);
    assertThat(mine.body()).isEqualTo(up.fake.http().get(path(user, "a"), revoked).body());
    assertThat(up.gw.http().get(path(user, "a"), "never-seen").status()).isEqualTo(401);
    assertThat(up.gw.http().post(path(user, "_search"), revoked, "{}").status()).isEqualTo(401);
    assertThat(up.fake.calls(LIST)).isEqualTo(1 + 3);
  }

  @Test
  void confirmedTokenRevokedLater_getsZitadels401OncePermissionTtlPassed_andNoCacheAfter() {
    String user = userWithThreeKeys();
    String token = up.issuer.token("owner-3", Upstreams.ORG, "ORG_OWNER");
    up.gw.http().get(path(user, "a"), up.owner);
    assertThat(up.gw.http().get(path(user, "a"), token).status()).isEqualTo(200);
    up.fake.revoke(token);
    ticker.advance(Duration.ofSeconds(31));
    assertThat(up.gw.http().get(path(user, "a"), up.owner).status()).isEqualTo(200); // refills
    assertThat(up.gw.http().get(path(user, "a"), token).status()).isEqualTo(401);
    assertThat(up.gw.http().get(path(user, "a"), token).status()).isEqualTo(401);
    assertThat(up.fake.calls(LIST)).isEqualTo(5); // every read of the rejected token went upstream
  }

  @Test
  void tokenConfirmedForOrgA_readingOrgB_goesUpstreamAndGetsZitadels403() {
    String user = newUser();
    String ownerB = up.issuer.token("owner-b", "org-2", "ORG_OWNER");
    var set =
        up.gw
            .http()
            .call("POST", path(user, "k"))
            .token(ownerB)
            .header("x-zitadel-orgid", "org-2")
            .body("{\"value\":\"YQ==\"}")
            .send();
    assertThat(set.status()).isEqualTo(200);
    var byB =
        up.gw.http().call("GET", path(user, "k")).token(ownerB).header("x-zitadel-orgid", "org-2");
    assertThat(byB.send().status()).isEqualTo(200);
    assertThat(up.gw.http().get(path(user, "k"), up.owner).status()).isEqualTo(404); // org A's view
    up.fake.resetCounters();
    var mine =
        up.gw
            .http()
            .call("GET", path(user, "k"))
            .token(up.owner)
            .header("x-zitadel-orgid", "org-2")
            .send();
    assertThat(mine.status()).isEqualTo(403);
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
    var theirs =
        up.fake
            .http()
            .call("GET", path(user, "k"))
            .token(up.owner)
            .header("x-zitadel-orgid", "org-2")
            .send();
    assertThat(mine.body()).isEqualTo(theirs.body());
  }

  @Test
  void twentyConcurrentMisses_shareOneUpstreamListing() throws Exception {
    String user = userWithThreeKeys();
    up.fake.fault(LIST, Fault.latency(300));
    List<CompletableFuture<Http.Response>> reads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      reads.add(CompletableFuture.supplyAsync(() -> up.gw.http().get(path(user, "a"), up.owner)));
    }
    for (var r : reads) {
      assertThat(valueOf(r.get())).isEqualTo("YQ==");
    }
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
  }
}
