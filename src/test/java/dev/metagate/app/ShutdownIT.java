package dev.metagate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.ChildGateway;
import dev.metagate.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the real process: drain, commit, exit 0, and lose nothing that was acknowledged. */
class ShutdownIT {
  private static final String KEY_PATH = "/management/v1/users/drain-u/metadata/late";

  /** One data directory (and so one dev key and token) for both tests; their users differ. */
  @TempDir static Path dir;

  static String token;

  @BeforeAll
  static void issueToken() {
    token = ChildGateway.token(dir, "shutdown-test", "o1");
  }

  @Test
  void sigterm_duringConcurrentBulkSets_exitsZero_andKeepsEveryAcknowledgedWrite()
      throws InterruptedException {
    BulkWriters writers = new BulkWriters(8);
    try (ChildGateway gw = ChildGateway.start(dir, Map.of())) {
      writers.start(gw.http(), token);
      writers.awaitAcks(3);
      gw.sigterm();
      assertThat(gw.awaitExit()).as(gw.log()).isZero();
      writers.join();
      assertThat(gw.log()).contains("metagate stopped");
      assertThat(gw.errorLines()).isEmpty();
    }
    try (ChildGateway gw = ChildGateway.start(dir, Map.of())) {
      writers.verify(gw.http(), token);
    }
    // a request the gateway began before SIGTERM is answered; a later one is refused unapplied
    assertThat(writers.lostAnswersApplied()).isZero();
    assertThat(writers.unexpectedAnswers()).allMatch(a -> a.contains(": 503 "));
  }

  /**
   * A request whose body has not arrived yet holds the drain open, which makes the stopping state
   * observable: readiness is 503 and new connections are refused, yet the request still completes.
   */
  @Test
  void sigterm_readinessTurns503AndNewConnectionsAreRefused_whileAnInFlightRequestFinishes()
      throws Exception {
    String body = "{\"value\":\"" + b64("set during the drain") + "\"}";
    try (ChildGateway gw = ChildGateway.start(dir, Map.of("METAGATE_SHUTDOWN_TIMEOUT", "30s"));
        Socket inFlight = new Socket("127.0.0.1", gw.apiPort())) {
      inFlight.setSoTimeout(30_000);
      OutputStream out = inFlight.getOutputStream();
      out.write(headers(token, body.length()).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // "100 Continue" proves the server is handling the request, so it counts as in flight
      assertThat(readHead(inFlight.getInputStream())).startsWith("HTTP/1.1 100");

      gw.sigterm();
      awaitNotReady(gw.admin());
      awaitRefused(gw.apiPort());
      out.write(body.getBytes(StandardCharsets.UTF_8));
      out.flush();

      assertThat(readHead(inFlight.getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(gw.awaitExit()).as(gw.log()).isZero();
      assertThat(gw.errorLines()).isEmpty();
    }
    try (ChildGateway gw = ChildGateway.start(dir, Map.of())) {
      Http.Response r = gw.http().get(KEY_PATH, token);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().getJsonObject("metadata").getString("value"))
          .isEqualTo(b64("set during the drain"));
    }
  }

  /** A client that never sends its body cannot hold the process: the drain ends at the timeout. */
  @Test
  void sigterm_whileARequestBodyNeverArrives_exitsZeroAfterTheShutdownTimeout() throws Exception {
    try (ChildGateway gw = ChildGateway.start(dir, Map.of("METAGATE_SHUTDOWN_TIMEOUT", "1s"));
        Socket stuck = new Socket("127.0.0.1", gw.apiPort())) {
      stuck.setSoTimeout(30_000);
      stuck.getOutputStream().write(headers(token, 100).getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(stuck.getInputStream())).startsWith("HTTP/1.1 100");

      gw.sigterm();

      assertThat(gw.awaitExit()).as(gw.log()).isZero();
      assertThat(stuck.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
      assertThat(gw.errorLines()).as("a client cut off by shutdown is no error").isEmpty();
    }
  }

  private static String headers(String token, int contentLength) {
    return "POST "
        + KEY_PATH
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  /** Polls readiness until it answers 503; the admin port must stay up meanwhile. */
  private static void awaitNotReady(Http admin) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    Http.Response r = admin.get("/health/ready", null);
    while (r.status() == 200 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      r = admin.get("/health/ready", null);
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.json().getString("status")).isEqualTo("DOWN");
  }

  private static void awaitRefused(int port) throws InterruptedException, IOException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        Thread.sleep(20);
      } catch (ConnectException refused) {
        return;
      }
    }
    throw new AssertionError("the API port still accepts connections while stopping");
  }

  /** Reads one response head (status line and headers), leaving any body unread. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
