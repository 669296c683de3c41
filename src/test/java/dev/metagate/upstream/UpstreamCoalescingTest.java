package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Fault;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Write coalescing: sets of one credential for one user that queue behind an upstream write are
 * merged into one BulkSetUserMetadata in arrival order; removes and other credentials are never
 * merged, and order holds. Requests go on one HTTP/2 connection, so arrival order is send order;
 * the fake's bulk endpoint is slowed so that writes overlap.
 */
@ExtendWith(Invariants.class)
class UpstreamCoalescingTest {
  private static final String BULK_SET = "BulkSetUserMetadata";
  private static final String SET = "SetUserMetadata";
  private static final AtomicInteger USERS = new AtomicInteger();
  private OneConnection conn;

  // no wait to fill a batch: the first write goes alone at once, the rest queue behind it
  @RegisterExtension
  static final Sidecar up = Sidecar.with(Map.of("METAGATE_BATCH_MAX_DELAY", "0ms"));

  @BeforeEach
  void fresh() {
    conn = new OneConnection(up.gw.gateway().apiPort());
  }

  @AfterEach
  void closed() {
    conn.close();
  }

  private static String newUser() {
    return "co-user-" + USERS.incrementAndGet();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String bulk(Map<String, String> entries) {
    JsonArray list = new JsonArray();
    entries.forEach((k, v) -> list.add(new JsonObject().put("key", k).put("value", b64(v))));
    return new JsonObject().put("metadata", list).encode();
  }

  private Future<OneConnection.Answer> post(String user, String last, String token, String body) {
    return conn.send("POST", path(user, last), token, null, body);
  }

  private Future<OneConnection.Answer> setValue(String user, String key, String token, String v) {
    return post(user, key, token, "{\"value\":\"" + b64(v) + "\"}");
  }

  /** The user's metadata as ZITADEL holds it, key to decoded value. */
  private static Map<String, String> stored(String user) {
    var r = up.fake.http().post(path(user, "_search"), up.owner, "{\"query\":{\"limit\":1000}}");
    Map<String, String> out = new HashMap<>();
    JsonArray result = r.json().getJsonArray("result", new JsonArray());
    for (int i = 0; i < result.size(); i++) {
      JsonObject e = result.getJsonObject(i);
      String v =
          new String(Base64.getDecoder().decode(e.getString("value")), StandardCharsets.UTF_8);
      out.put(e.getString("key"), v);
    }
    return out;
  }

  private static int upstreamWrites() {
    return up.fake.calls(BULK_SET)
        + up.fake.calls(SET)
        + up.fake.calls("RemoveUserMetadata")
        + up.fake.calls("BulkRemoveUserMetadata");
  }

  @Test
  void fiftyConcurrentBulkSets_allAnswered200_lastWriterWinsInArrivalOrder_fewUpstreamWrites() {
    String user = newUser();
    up.fake.fault(BULK_SET, Fault.latency(300));
    List<Future<OneConnection.Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(
          post(user, "_bulk", up.owner, bulk(Map.of("shared", "v" + i, "own-" + i, "x" + i))));
    }
    for (var a : answers) {
      var r = a.await();
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getJsonObject("details").getString("sequence"))
          .isNotNull();
    }
    Map<String, String> stored = stored(user);
    assertThat(stored).containsEntry("shared", "v49").hasSize(51);
    for (int i = 0; i < 50; i++) {
      assertThat(stored).containsEntry("own-" + i, "x" + i);
    }
    assertThat(upstreamWrites()).isBetween(1, 5);
    assertThat(up.gw.admin().get("/metrics", null).body())
        .containsPattern("metagate_upstream_coalesced_requests_total [1-9]");
  }

  @Test
  void mergedSetCallers_getSetShapedDetails_fromTheBulkAnswer() {
    String user = newUser();
    up.fake.fault(BULK_SET, Fault.latency(300));
    var first = post(user, "_bulk", up.owner, bulk(Map.of("a", "1")));
    var s1 = setValue(user, "b", up.owner, "2");
    var s2 = setValue(user, "c", up.owner, "3");
    assertThat(first.await().status()).isEqualTo(200);
    JsonObject d1 = new JsonObject(s1.await().body()).getJsonObject("details");
    JsonObject d2 = new JsonObject(s2.await().body()).getJsonObject("details");
    assertThat(up.fake.calls(SET)).isZero();
    assertThat(up.fake.calls(BULK_SET)).isEqualTo(2);
    assertThat(d1).isEqualTo(d2);
    assertThat(d1.fieldNames()).containsExactly("sequence", "creationDate", "resourceOwner");
    assertThat(d1.getString("resourceOwner")).isEqualTo(Upstreams.ORG);
    assertThat(stored(user)).containsEntry("b", "2").containsEntry("c", "3");
  }

  @Test
  void removeQueuedBetweenSets_isNotMerged_andRunsInArrivalOrder() {
    String user = newUser();
    up.fake.fault(BULK_SET, Fault.latency(300));
    var first = post(user, "_bulk", up.owner, bulk(Map.of("k", "1")));
    var set = setValue(user, "k", up.owner, "2");
    var remove = conn.send("DELETE", path(user, "k"), up.owner, null, null);
    var setAfter = setValue(user, "j", up.owner, "3");
    assertThat(first.await().status()).isEqualTo(200);
    assertThat(set.await().status()).isEqualTo(200);
    assertThat(remove.await().status()).isEqualTo(200);
    assertThat(setAfter.await().status()).isEqualTo(200);
    assertThat(stored(user)).doesNotContainKey("k").containsEntry("j", "3");
    assertThat(up.fake.calls("RemoveUserMetadata")).isEqualTo(1);
    assertThat(upstreamWrites()).isEqualTo(4);
  }

  @Test
  void setsOfDifferentTokens_areNeverMerged_andKeepArrivalOrder() {
    String user = newUser();
    String other = up.issuer.token("owner-9", Upstreams.ORG, "ORG_OWNER");
    up.fake.fault(BULK_SET, Fault.latency(300));
    var first = post(user, "_bulk", up.owner, bulk(Map.of("k", "0")));
    List<Future<OneConnection.Answer>> answers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      answers.add(setValue(user, "k", i % 2 == 0 ? up.owner : other, "v" + i));
    }
    assertThat(first.await().status()).isEqualTo(200);
    answers.forEach(a -> assertThat(a.await().status()).isEqualTo(200));
    assertThat(upstreamWrites()).isEqualTo(5);
    assertThat(stored(user)).containsEntry("k", "v4");
    assertThat(up.fake.lastHeaders(SET).get("authorization")).isEqualTo("Bearer " + up.owner);
  }

  @Test
  void mergedWriteOfRejectedToken_everyCallerGetsZitadels401() {
    String user = newUser();
    String revoked = up.issuer.token("owner-8", Upstreams.ORG, "ORG_OWNER");
    up.fake.revoke(revoked);
    up.fake.fault(BULK_SET, Fault.latency(300));
    var first = post(user, "_bulk", revoked, bulk(Map.of("a", "1")));
    var second = post(user, "_bulk", revoked, bulk(Map.of("b", "2")));
    var third = setValue(user, "c", revoked, "3");
    for (var a : List.of(first, second, third)) {
      var r = a.await();
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.body()).contains("Errors.Token.Invalid");
    }
    assertThat(up.fake.calls(BULK_SET)).isEqualTo(2);
    assertThat(stored(user)).isEmpty();
  }

  @Test
  void setsArrivingWithinMaxDelayOfAnIdleUser_shareOneUpstreamCall() {
    try (TestGateway delayed =
            Upstreams.gateway(up.fake, Map.of("METAGATE_BATCH_MAX_DELAY", "300ms"));
        OneConnection c = new OneConnection(delayed.gateway().apiPort())) {
      String user = newUser();
      var a = c.send("POST", path(user, "a"), up.owner, null, "{\"value\":\"" + b64("1") + "\"}");
      var b = c.send("POST", path(user, "b"), up.owner, null, "{\"value\":\"" + b64("2") + "\"}");
      assertThat(a.await().status()).isEqualTo(200);
      assertThat(b.await().status()).isEqualTo(200);
      assertThat(upstreamWrites()).isEqualTo(1);
      assertThat(up.fake.calls(BULK_SET)).isEqualTo(1);
    }
  }

  @Test
  void writesBeyondMaxQueue_areRefusedAtOnceWith503AndRetryAfter_andPassOnceTheQueueDrains()
      throws Exception {
    try (TestGateway small =
        Upstreams.gateway(
            up.fake, Map.of("METAGATE_BATCH_MAX_DELAY", "0ms", "METAGATE_BATCH_MAX_QUEUE", "3"))) {
      up.fake.fault(BULK_SET, Fault.latency(500));
      String bulk =
          "{\"metadata\":[{\"key\":\"a\",\"value\":\"YQ==\"},{\"key\":\"b\",\"value\":\"Yg==\"}]}";
      var first =
          CompletableFuture.supplyAsync(
              () -> small.http().post(path(newUser(), "_bulk"), up.owner, bulk));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (up.fake.calls(BULK_SET) == 0) { // two entries now pending, one call in flight
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(10);
      }
      long t0 = System.nanoTime();
      var refused = small.http().post(path(newUser(), "_bulk"), up.owner, bulk);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
      assertThat(refused.json().getInteger("code")).isEqualTo(14);
      assertThat(refused.json().getString("message")).contains("write queue is full");
      assertThat(refused.header("retry-after")).isEqualTo("1");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(300);
      assertThat(up.fake.calls(BULK_SET)).isEqualTo(1);
      // one more entry still fits under the bound
      var fits = small.http().post(path(newUser(), "k"), up.owner, "{\"value\":\"YQ==\"}");
      assertThat(fits.status()).isEqualTo(200);

      assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
      var after = small.http().post(path(newUser(), "_bulk"), up.owner, bulk);
      assertThat(after.status()).isEqualTo(200);
    }
  }
}
