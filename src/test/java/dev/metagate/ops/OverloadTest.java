package dev.metagate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Http.Response;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * More load than the bounds allow: 40 writers against 8 in-flight slots, with commits held back by
 * a batch delay of up to 200 ms so that slots stay busy. Every answer must be a 200 or a fast 503
 * with Retry-After (no other status, no waiting behind the store), and afterwards everything
 * acknowledged is stored and the full capacity is back.
 */
@ExtendWith(Invariants.class)
class OverloadTest {
  private static final String ORG = "org-1";
  private static final int MAX_IN_FLIGHT = 8;
  private static final int WRITERS = 40;
  private static final int WRITES_EACH = 3;
  private static final int USERS = 5;

  private record Answer(String user, String key, int status, Response response) {}

  @Test
  void writesBeyondTheInFlightBound_areRejectedFast_andEverythingAcknowledgedIsKept()
      throws Exception {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw =
            TestGateway.start(
                issuer,
                Map.of(
                    "METAGATE_HTTP_MAX_IN_FLIGHT",
                    String.valueOf(MAX_IN_FLIGHT),
                    "METAGATE_BATCH_MAX_DELAY",
                    "200ms"))) {
      String token = issuer.token("admin", ORG, "ORG_OWNER");
      List<Answer> answers = overload(gw.http(), token);

      int rejected = 0;
      Set<String> acknowledged = new HashSet<>();
      for (Answer a : answers) {
        assertThat(a.status()).as("only 200 or 503 under overload").isIn(200, 503);
        if (a.status() == 200) {
          acknowledged.add(a.user() + "/" + a.key());
        } else {
          assertRefusedAsOverloaded(a.response());
          rejected++;
        }
      }
      assertThat(rejected).as("the load exceeded the bound").isPositive();
      assertThat(acknowledged).hasSize(WRITERS * WRITES_EACH);

      assertThat(stored(gw.http(), token)).isEqualTo(acknowledged);
      assertFullCapacityIsBack(gw, token);
    }
  }

  /**
   * Fast rejection, measured on an otherwise idle gateway (in-process timings under the overload
   * above would mostly measure the test's own threads competing for the CPU): every slot is held by
   * a client still sending its body, and each further request is refused at once.
   */
  @Test
  void withEverySlotHeld_furtherRequestsAreRefusedAtOnce_andTheSlotsComeBack() throws Exception {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw =
            TestGateway.start(
                issuer, Map.of("METAGATE_HTTP_MAX_IN_FLIGHT", String.valueOf(MAX_IN_FLIGHT)))) {
      String token = issuer.token("admin", ORG, "ORG_OWNER");
      List<Socket> holders = new ArrayList<>();
      try {
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
          holders.add(holdASlot(gw, token, "held-" + i));
        }
        awaitAllSlotsTaken(gw.http(), token);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          long started = System.nanoTime();
          Response r = gw.http().post(path("ov-fast", "k" + i), token, "{\"value\":\"dg==\"}");
          millis.add((System.nanoTime() - started) / 1_000_000);
          assertRefusedAsOverloaded(r);
        }
        assertThat(percentile(millis, 50)).as("median rejection, ms: %s", millis).isLessThan(20);
        assertThat(percentile(millis, 95)).as("p95 rejection, ms: %s", millis).isLessThan(100);
      } finally {
        for (Socket s : holders) {
          s.close();
        }
      }
      assertFullCapacityIsBack(gw, token);
      assertThat(gw.http().get(path("held-0", "k"), token).status()).isEqualTo(404);
    }
  }

  private static void assertRefusedAsOverloaded(Response r) {
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().getInteger("code")).isEqualTo(14);
    assertThat(r.header("retry-after")).isEqualTo("1");
  }

  /** A connection whose request has its head sent and its body not: it holds an in-flight slot. */
  private static Socket holdASlot(TestGateway gw, String token, String user) throws Exception {
    Socket s = new Socket("127.0.0.1", gw.gateway().apiPort());
    String head =
        "POST "
            + path(user, "k")
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/json\r\nContent-Length: 100"
            + "\r\nExpect: 100-continue\r\n\r\n";
    s.setSoTimeout(30_000);
    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    // the interim answer proves the server is handling the request, so it holds its slot
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
    assertThat(line).startsWith("HTTP/1.1 100");
    s.getOutputStream().write('{');
    s.getOutputStream().flush();
    return s;
  }

  private static void awaitAllSlotsTaken(Http http, String token) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (http.get(path("probe", "k"), token).status() != 503) {
      assertThat(System.nanoTime()).as("slots taken within 60 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static List<Answer> overload(Http http, String token) throws Exception {
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> write(http, token, writer, answers)));
      }
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return new ArrayList<>(answers);
  }

  /** Writes WRITES_EACH keys, retrying each refused one after a short pause, as a client would. */
  private static Void write(Http http, String token, int writer, ConcurrentLinkedQueue<Answer> out)
      throws InterruptedException {
    String user = "ov-" + (writer % USERS);
    for (int n = 0; n < WRITES_EACH; n++) {
      String key = "k-" + writer + "-" + n;
      for (int attempt = 0; attempt < 1000; attempt++) {
        Response r = http.post(path(user, key), token, "{\"value\":\"" + b64(key) + "\"}");
        out.add(new Answer(user, key, r.status(), r));
        if (r.status() != 503) {
          break;
        }
        Thread.sleep(5);
      }
    }
    return null;
  }

  private static Set<String> stored(Http http, String token) {
    Set<String> keys = new HashSet<>();
    for (int u = 0; u < USERS; u++) {
      String user = "ov-" + u;
      Response r =
          http.post(
              "/management/v1/users/" + user + "/metadata/_search",
              token,
              "{\"query\":{\"limit\":1000}}");
      assertThat(r.status()).isEqualTo(200);
      JsonArray result = r.json().getJsonArray("result", new JsonArray());
      for (Object o : result) {
        keys.add(user + "/" + ((JsonObject) o).getString("key"));
      }
    }
    return keys;
  }

  /** All slots are free again: as many concurrent writes as the bound all succeed. */
  private static void assertFullCapacityIsBack(TestGateway gw, String token) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(MAX_IN_FLIGHT);
    try {
      List<Future<Response>> calls = new ArrayList<>();
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        String key = "after-" + i;
        calls.add(
            pool.submit(
                () -> gw.http().post(path("ov-after", key), token, "{\"value\":\"dg==\"}")));
      }
      for (Future<Response> f : calls) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(200);
    assertThat(gw.admin().get("/metrics", null).body())
        .contains("metagate_write_queue_entries 0.0")
        // refused before routing, so counted under operation "other"
        .containsPattern("metagate_requests_total\\{code=\"14\",[^}]*\\} [1-9]");
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int at = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, at));
  }

  private static String path(String user, String key) {
    return "/management/v1/users/" + user + "/metadata/" + key;
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
