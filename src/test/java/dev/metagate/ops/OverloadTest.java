package dev.metagate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.ManagementServiceGrpcClient;
import dev.metagate.testing.Grpc;
import dev.metagate.testing.Http;
import dev.metagate.testing.Http.Response;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
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

  /**
   * A refusal is answered from the request head alone: the 503 arrives before any body byte is sent
   * (so the body is neither awaited nor buffered; a body over {@code http.maxBodySize} gets 503,
   * not 413), and the same connection then carries the body and the next request. A client waiting
   * for 100 Continue gets no 100, and its connection is closed after the 503.
   */
  @Test
  void withEverySlotHeld_aRefusalReadsNoBody_andTheConnectionServesTheNextRequest()
      throws Exception {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw =
            TestGateway.start(
                issuer,
                Map.of(
                    "METAGATE_HTTP_MAX_IN_FLIGHT",
                    String.valueOf(MAX_IN_FLIGHT),
                    "METAGATE_HTTP_MAX_BODY_SIZE",
                    "1KiB"))) {
      String token = issuer.token("admin", ORG, "ORG_OWNER");
      List<Socket> holders = new ArrayList<>();
      try {
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
          holders.add(holdASlot(gw, token, "held-" + i));
        }
        awaitAllSlotsTaken(gw.http(), token);
        try (Socket s = new Socket("127.0.0.1", gw.gateway().apiPort())) {
          s.setSoTimeout(30_000);
          var in = new java.io.BufferedInputStream(s.getInputStream());
          byte[] big = new byte[64 * 1024];
          java.util.Arrays.fill(big, (byte) 'x');
          for (int i = 0; i < 3; i++) {
            send(s, post(token, "id-" + i, big.length, false));
            RawAnswer a = RawAnswer.read(in);
            assertThat(a.status()).as("refused before the body was sent").isEqualTo(503);
            assertThat(a.headers()).containsEntry("retry-after", "1");
            assertThat(a.headers()).containsEntry("x-request-id", "id-" + i);
            assertThat(a.headers()).doesNotContainKey("connection");
            assertThat(new JsonObject(a.body()).getInteger("code")).isEqualTo(14);
            s.getOutputStream().write(big); // the body, late: dropped, the connection stays
          }
        }
        try (Socket s = new Socket("127.0.0.1", gw.gateway().apiPort())) {
          s.setSoTimeout(30_000);
          send(s, post(token, "expecting", 100, true));
          RawAnswer a = RawAnswer.read(new java.io.BufferedInputStream(s.getInputStream()));
          assertThat(a.status()).as("a final answer, no 100 Continue").isEqualTo(503);
          assertThat(a.headers()).containsEntry("connection", "close");
          assertThat(s.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
        }
      } finally {
        for (Socket h : holders) {
          h.close();
        }
      }
      assertFullCapacityIsBack(gw, token);
    }
  }

  /** gRPC (HTTP/2) and gRPC-web callers are refused as UNAVAILABLE, counted per protocol. */
  @Test
  void withEverySlotHeld_grpcAndGrpcWebCalls_areUnavailable() throws Exception {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw =
            TestGateway.start(
                issuer, Map.of("METAGATE_HTTP_MAX_IN_FLIGHT", String.valueOf(MAX_IN_FLIGHT)));
        Grpc grpc = Grpc.connect(gw.gateway().apiPort())) {
      String token = issuer.token("admin", ORG, "ORG_OWNER");
      List<Socket> holders = new ArrayList<>();
      try {
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
          holders.add(holdASlot(gw, token, "held-" + i));
        }
        awaitAllSlotsTaken(gw.http(), token);
        GetUserMetadataRequest get =
            GetUserMetadataRequest.newBuilder().setId("held-0").setKey("k").build();
        var reply = grpc.as(token).call(ManagementServiceGrpcClient.GetUserMetadata, get);
        assertThat(reply.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(reply.message()).isEqualTo("too many requests in flight");

        Response web =
            gw.http()
                .call("POST", "/zitadel.management.v1.ManagementService/GetUserMetadata")
                .token(token)
                .header("content-type", "application/grpc-web+proto")
                .header("x-grpc-web", "1")
                .body(grpcFrame(get.toByteArray()))
                .send();
        assertThat(web.status()).isEqualTo(200);
        assertThat(web.header("grpc-status")).isEqualTo("14");
        assertThat(web.header("content-type")).isEqualTo("application/grpc-web+proto");
      } finally {
        for (Socket h : holders) {
          h.close();
        }
      }
      assertFullCapacityIsBack(gw, token);
      assertThat(gw.admin().get("/metrics", null).body())
          .containsPattern(
              "metagate_requests_total\\{code=\"14\",operation=\"other\",protocol=\"grpc\"\\} 1\\.0")
          .containsPattern(
              "metagate_requests_total\\{code=\"14\",operation=\"other\",protocol=\"grpc-web\"\\} 1\\.0");
    }
  }

  /** A request head: POST of {@code length} body bytes, with Expect: 100-continue if asked. */
  private static String post(String token, String requestId, int length, boolean expect) {
    return "POST "
        + path("ov-raw", "k")
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nx-request-id: "
        + requestId
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + length
        + (expect ? "\r\nExpect: 100-continue" : "")
        + "\r\n\r\n";
  }

  private static void send(Socket s, String head) throws java.io.IOException {
    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  private static byte[] grpcFrame(byte[] message) {
    return java.nio.ByteBuffer.allocate(5 + message.length)
        .put((byte) 0)
        .putInt(message.length)
        .put(message)
        .array();
  }

  /** One HTTP/1.1 answer read off a kept-alive socket: status, lower-case headers, body. */
  private record RawAnswer(int status, Map<String, String> headers, String body) {
    static RawAnswer read(java.io.InputStream in) throws java.io.IOException {
      String status = line(in);
      Map<String, String> headers = new java.util.HashMap<>();
      for (String l = line(in); !l.isEmpty(); l = line(in)) {
        int colon = l.indexOf(':');
        headers.put(l.substring(0, colon).trim().toLowerCase(), l.substring(colon + 1).trim());
      }
      byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
      return new RawAnswer(
          Integer.parseInt(status.split(" ")[1]),
          headers,
          new String(body, StandardCharsets.UTF_8));
    }

    private static String line(java.io.InputStream in) throws java.io.IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        assertThat(c).as("answer cut short").isNotEqualTo(-1);
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
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
