package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http.Response;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The error table's bounds: a body over {@code http.maxBodySize} is 413 with code 8, and a request
 * over {@code http.maxInFlight} is 503 with code 14 and {@code Retry-After}. Each runs against a
 * gateway started with a small bound.
 */
@ExtendWith(Invariants.class)
class LimitsConformanceTest {
  private static final String ORG = "org-1";
  private static final int MAX_BODY = 64 * 1024;

  static TestIssuer issuer;
  static String token;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
    token = issuer.token("owner-1", ORG, "ORG_OWNER");
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void set_bodyOverMaxBodySize_returns413ResourceExhaustedAndStoresNothing() {
    try (TestGateway gw =
        TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_BODY_SIZE", "64KiB"))) {
      V1 v1 = new V1(gw.http(), token);
      var r = v1.set("u1", "k", padded("{\"value\":\"dg==\"}", MAX_BODY + 1));
      assertThat(json(r, 413)).isEqualTo(error(8, "request body too large"));
      assertThat(json(v1.list("u1", "{}"), 200)).isEqualTo(new JsonObject());
    }
  }

  @Test
  void set_bodyExactlyMaxBodySize_isAccepted() {
    try (TestGateway gw =
        TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_BODY_SIZE", "64KiB"))) {
      V1 v1 = new V1(gw.http(), token);
      json(v1.set("u1", "k", padded("{\"value\":\"dg==\"}", MAX_BODY)), 200);
    }
  }

  @Test
  void bulkSet_bodyOverMaxBodySize_returns413BeforeAuthentication() {
    try (TestGateway gw =
        TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_BODY_SIZE", "64KiB"))) {
      V1 anonymous = new V1(gw.http(), null);
      var r = anonymous.bulkSet("u1", padded("{\"metadata\":[]}", 2 * MAX_BODY));
      assertThat(json(r, 413)).isEqualTo(error(8, "request body too large"));
    }
  }

  /**
   * Deterministic: request A says {@code Expect: 100-continue}, and the server's "100 Continue"
   * proves A passed the in-flight limiter (the body handler that sends it runs after it). While A
   * withholds its body it holds the only slot, so B is refused whatever event loop serves it.
   */
  @Test
  void anyRequest_overMaxInFlight_returns503UnavailableWithRetryAfter() throws IOException {
    try (TestGateway gw = TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_IN_FLIGHT", "1"));
        Socket a = new Socket("127.0.0.1", gw.gateway().apiPort())) {
      a.setSoTimeout(10_000);
      String body = "{\"value\":\"dg==\"}";
      OutputStream out = a.getOutputStream();
      out.write(headers(V1.path("u1", "k"), body.length()).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 100");

      var b = new V1(gw.http(), token).get("u1", "k");
      assertThat(json(b, 503)).isEqualTo(error(14, "too many requests in flight"));
      assertThat(b.header("retry-after")).isEqualTo("1");

      out.write(body.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(finalStatusLine(in)).startsWith("HTTP/1.1 200");
    }
  }

  /**
   * The write queue's bound ({@code batch.maxQueue}) cannot be hit on purpose from outside: the
   * writer drains the queue as soon as it can. So this checks the contract of every answer under
   * concurrent writes with a queue of 1 instead: success, or exactly the 503 with Retry-After, and
   * a refused request stored nothing.
   */
  @Test
  void bulkSet_concurrentWritesWithQueueOfOne_eachAnswerIs200Or503WithRetryAfter()
      throws Exception {
    try (TestGateway gw = TestGateway.start(issuer, Map.of("METAGATE_BATCH_MAX_QUEUE", "1"))) {
      V1 v1 = new V1(gw.http(), token);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          String user = "q" + i;
          answers.add(pool.submit(() -> v1.bulkSetText(user, "a", "1", "b", "2")));
        }
        for (int i = 0; i < answers.size(); i++) {
          Response r = answers.get(i).get(30, TimeUnit.SECONDS);
          JsonObject stored = json(v1.list("q" + i, "{}"), 200);
          if (r.status() == 503) {
            assertThat(json(r, 503)).isEqualTo(error(14, "write queue is full, retry later"));
            assertThat(r.header("retry-after")).isEqualTo("1");
            assertThat(stored).isEqualTo(new JsonObject());
          } else {
            assertThat(json(r, 200).getJsonObject("details").getString("sequence")).isEqualTo("2");
            assertThat(stored.getJsonObject("details").getString("totalResult")).isEqualTo("2");
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * A client that leaves mid-body is not a failure of metagate: no ERROR line (checked by {@link
   * Invariants}) and its in-flight slot is released. The slot coming back is observed with the
   * bound of 1; the close is handled in one event-loop task, so by then any log line is written.
   */
  @Test
  void set_clientLeavesMidBody_releasesItsSlotWithoutErrorLog() throws IOException {
    try (TestGateway gw = TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_IN_FLIGHT", "1"))) {
      try (Socket a = new Socket("127.0.0.1", gw.gateway().apiPort())) {
        a.setSoTimeout(10_000);
        a.getOutputStream()
            .write(headers(V1.path("u1", "k"), 100).getBytes(StandardCharsets.US_ASCII));
        a.getOutputStream().write("{\"value\":".getBytes(StandardCharsets.US_ASCII));
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(a.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(in.readLine()).startsWith("HTTP/1.1 100");
      }
      V1 v1 = new V1(gw.http(), token);
      long deadline = System.nanoTime() + 10_000_000_000L;
      int status;
      do {
        status = v1.get("u1", "k").status();
      } while (status == 503 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(404);
    }
  }

  private String headers(String path, int contentLength) {
    return "POST "
        + path
        + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "Authorization: Bearer "
        + token
        + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: "
        + contentLength
        + "\r\n"
        + "Expect: 100-continue\r\n"
        + "\r\n";
  }

  /** The first non-informational status line still to come. */
  private static String finalStatusLine(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("HTTP/1.1 ") && !line.startsWith("HTTP/1.1 1")) {
        return line;
      }
    }
    throw new IOException("connection closed before a final response");
  }

  /** {@code json} followed by spaces up to exactly {@code size} bytes: still valid JSON. */
  private static String padded(String json, int size) {
    return json + " ".repeat(size - json.length());
  }
}
