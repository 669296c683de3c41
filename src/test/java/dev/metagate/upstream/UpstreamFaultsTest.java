package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every upstream fault ends in the documented answer within the timeout: no hang, no 500. Reads are
 * retried, writes are not once they may have reached ZITADEL; ZITADEL's own errors (5xx, 429 with
 * Retry-After) come back untouched. The gateway's timeout is 800 ms. A Get that misses the cache
 * reaches ZITADEL as the listing of the user, so read faults are put on ListUserMetadata.
 */
@ExtendWith(Invariants.class)
class UpstreamFaultsTest {
  private static final long TIMEOUT_MS = 800;
  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension static final Sidecar up = Sidecar.with(Map.of());

  private static String newUser() {
    return "fault-user-" + USERS.incrementAndGet();
  }

  private static Http.Response set(String user) {
    return up.gw.http().post(path(user, "k"), up.owner, "{\"value\":\"YQ==\"}");
  }

  private static Http.Response get(String user) {
    return up.gw.http().get(path(user, "k"), up.owner);
  }

  private static void assertError(Http.Response r, int status, int code) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().getInteger("code")).isEqualTo(code);
  }

  @Test
  void set_upstreamHangs_returns504WithinTimeout() {
    up.fake.fault("SetUserMetadata", Fault.hang());
    long t0 = System.nanoTime();
    var r = set(newUser());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertError(r, 504, 4);
    assertThat(ms).isBetween(TIMEOUT_MS - 50, TIMEOUT_MS + 700);
    assertThat(up.fake.calls("SetUserMetadata")).isEqualTo(1);
  }

  @Test
  void get_upstreamHangs_returns504WithinTimeout_despiteRetries() {
    up.fake.fault("ListUserMetadata", Fault.hang());
    long t0 = System.nanoTime();
    var r = get(newUser());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertError(r, 504, 4);
    assertThat(ms).isLessThan(TIMEOUT_MS + 700);
  }

  @Test
  void get_upstreamSlowerThanTimeout_returns504() {
    up.fake.fault("ListUserMetadata", Fault.latency(TIMEOUT_MS + 500));
    assertError(get(newUser()), 504, 4);
  }

  @Test
  void get_upstreamSlowButWithinTimeout_answers() {
    up.fake.fault("ListUserMetadata", Fault.latency(100));
    assertError(get(newUser()), 404, 5);
  }

  @Test
  void set_upstream503_passedBackUntouchedAndNotRetried() {
    up.fake.fault("SetUserMetadata", Fault.status(503));
    var r = set(newUser());
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{\"code\":14,\"message\":\"fake fault 503\"}");
    assertThat(up.fake.calls("SetUserMetadata")).isEqualTo(1);
  }

  @Test
  void set_upstream500_passedBackUntouched() {
    up.fake.fault("SetUserMetadata", Fault.status(500));
    var r = set(newUser());
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("{\"code\":13,\"message\":\"fake fault 500\"}");
  }

  @Test
  void get_upstream503Once_isRetriedAndAnswers() {
    up.fake.fault("ListUserMetadata", Fault.status(503).times(1));
    assertError(get(newUser()), 404, 5);
    assertThat(up.fake.calls("ListUserMetadata")).isEqualTo(2);
  }

  @Test
  void get_upstream503Always_retriedThenZitadelsErrorPassedBack() {
    up.fake.fault("ListUserMetadata", Fault.status(503));
    var r = get(newUser());
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).contains("fake fault 503");
    assertThat(up.fake.calls("ListUserMetadata")).isEqualTo(3);
  }

  @Test
  void set_connectionResetMidBody_returns503AndIsNotRetried() {
    up.fake.fault("SetUserMetadata", Fault.resetMidBody());
    assertError(set(newUser()), 503, 14);
    assertThat(up.fake.calls("SetUserMetadata")).isEqualTo(1);
  }

  @Test
  void list_connectionResetMidBodyOnce_isRetriedAndAnswers() {
    up.fake.fault("ListUserMetadata", Fault.resetMidBody().times(1));
    var r = up.gw.http().post(path(newUser(), "_search"), up.owner, "{}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(up.fake.calls("ListUserMetadata")).isEqualTo(2);
  }

  @Test
  void bulkSet_upstream429_passedBackWithRetryAfter() {
    up.fake.fault("BulkSetUserMetadata", Fault.tooManyRequests("7"));
    var r =
        up.gw
            .http()
            .post(
                path(newUser(), "_bulk"),
                up.owner,
                "{\"metadata\":[{\"key\":\"k\",\"value\":\"YQ==\"}]}");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("retry-after")).isEqualTo("7");
    assertThat(r.json().getInteger("code")).isEqualTo(8);
    assertThat(up.fake.calls("BulkSetUserMetadata")).isEqualTo(1);
  }

  @Test
  void afterFaults_upstreamConnectionsAreReused_andCallsStillSucceed() {
    for (int i = 0; i < 20; i++) {
      assertError(get(newUser()), 404, 5);
    }
    assertThat(up.fake.calls("ListUserMetadata")).isEqualTo(20);
  }

  @Test
  void get_connectionRefused_returns503Unavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestGateway g =
        TestGateway.start(
            up.issuer,
            Map.of(
                "METAGATE_MODE", "upstream",
                "METAGATE_UPSTREAM_URL", "http://127.0.0.1:" + closedPort,
                "METAGATE_UPSTREAM_TIMEOUT", "800ms"))) {
      long t0 = System.nanoTime();
      var r = g.http().get(path("u", "k"), up.owner);
      assertError(r, 503, 14);
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(TIMEOUT_MS + 700);
      var w = g.http().post(path("u", "k"), up.owner, "{\"value\":\"YQ==\"}");
      assertError(w, 503, 14);
    }
  }

  @Test
  void passThrough_upstreamHangs_returns504InZitadelsShapeWithinTimeout() {
    up.fake.fault(FakeZitadel.ORGS_ME, Fault.hang());
    long t0 = System.nanoTime();
    var r = up.gw.http().get("/management/v1/orgs/me", up.owner);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertError(r, 504, 4);
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(ms).isBetween(TIMEOUT_MS - 50, TIMEOUT_MS + 700);
    up.fake.heal();
    assertThat(up.gw.http().get("/management/v1/orgs/me", up.owner).status()).isEqualTo(200);
  }

  @Test
  void passThrough_connectionRefused_returns503Code14InsteadOfAnEmpty502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestGateway g =
        TestGateway.start(
            up.issuer,
            Map.of(
                "METAGATE_MODE", "upstream",
                "METAGATE_UPSTREAM_URL", "http://127.0.0.1:" + closedPort,
                "METAGATE_UPSTREAM_TIMEOUT", "800ms"))) {
      var r = g.http().get("/management/v1/orgs/me", up.owner);
      assertError(r, 503, 14);
      assertThat(r.json().getString("message")).isEqualTo("upstream is unavailable");
      assertThat(g.admin().get("/metrics", null).body())
          .contains(
              "metagate_upstream_requests_total{operation=\"passthrough\",outcome=\"unreachable\"} 1.0");
    }
  }
}
