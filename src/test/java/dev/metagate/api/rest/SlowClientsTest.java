package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow clients cannot pin the server: with {@code http.idleTimeout} of 1 s, a request head must be
 * complete within 1 s (Vert.x's idle timer counts only decoded messages, so trickled head bytes do
 * not reset it) and a request body must arrive within 1 s of its head (every body chunk is a
 * message, so here metagate's own deadline is what stops a trickle).
 */
@ExtendWith(Invariants.class)
@WithGateway(env = {"METAGATE_HTTP_IDLE_TIMEOUT=1s", "METAGATE_HTTP_MAX_IN_FLIGHT=1"})
class SlowClientsTest {
  private static final String ORG = "org-1";
  private static final long TRICKLE_MS = 250;

  static TestIssuer issuer;
  static TestGateway gw;
  static String token;

  @BeforeAll
  static void token() {
    token = issuer.token("admin", ORG, "ORG_OWNER");
  }

  @Test
  void connection_tricklingARequestHead_isClosedAfterTheIdleTimeout() throws IOException {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(ascii("GET " + V1.path("u1", "k") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
      long started = System.nanoTime();
      String answer = trickleUntilAnswered(s, "X-Slow: a\r\n", 40);
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      assertThat(answer).as("connection closed while the head was still trickling").isEmpty();
      assertThat(elapsedMs).isLessThan(40 * TRICKLE_MS);
    }
    assertThat(new V1(gw.http(), token).get("u1", "k").status()).isEqualTo(404);
  }

  @Test
  void set_whoseBodyTrickles_gets408AndFreesItsInFlightSlot() throws IOException {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(ascii(head(V1.path("u-slow", "k"), 100) + "{\"value\":"));
      out.flush();
      String answer = trickleUntilAnswered(s, " ", 40);

      assertThat(answer).startsWith("HTTP/1.1 408");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertThat(new JsonObject(body)).isEqualTo(error(4, "request body not received in time"));
    }
    V1 v1 = new V1(gw.http(), token);
    assertThat(v1.get("u-slow", "k").status()).isEqualTo(404); // slot free, nothing stored
    assertThat(json(v1.setText("u-slow", "k", "v"), 200)).isNotNull();
  }

  @Test
  void bulkSet_whoseChunkedBodyTrickles_gets408AndFreesItsInFlightSlot() throws IOException {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      String head =
          "POST "
              + V1.path("u-slow-bulk", "_bulk")
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      out.write(ascii(head + "2\r\n{\"\r\n"));
      out.flush();
      String answer = trickleUntilAnswered(s, "1\r\n \r\n", 40);

      assertThat(answer).startsWith("HTTP/1.1 408");
    }
    V1 v1 = new V1(gw.http(), token);
    assertThat(v1.get("u-slow-bulk", "k").status()).isEqualTo(404); // slot free, nothing stored
  }

  @Test
  void set_sentPromptly_isUnaffectedByTheDeadlines() throws Exception {
    V1 v1 = new V1(gw.http(), token);
    for (int i = 0; i < 5; i++) {
      assertThat(v1.setText("u-prompt", "k" + i, "v").status()).isEqualTo(200);
      Thread.sleep(300); // idle keep-alive connection between requests, within the idle timeout
    }
  }

  private static Socket socket() throws IOException {
    Socket s = new Socket("127.0.0.1", gw.gateway().apiPort());
    s.setSoTimeout((int) TRICKLE_MS);
    return s;
  }

  /**
   * Sends {@code piece} every {@link #TRICKLE_MS}, at most n times, until the server answers or
   * closes; then everything it sent ("" when it just closed), or null if it never did.
   */
  private static String trickleUntilAnswered(Socket s, String piece, int n) throws IOException {
    InputStream in = s.getInputStream();
    for (int i = 0; i < n; i++) {
      try {
        s.getOutputStream().write(ascii(piece));
        s.getOutputStream().flush();
      } catch (IOException e) {
        return ""; // reset by the server
      }
      try {
        int b = in.read();
        return b == -1 ? "" : (char) b + readAll(in);
      } catch (SocketTimeoutException e) {
        // still open and silent: keep trickling
      }
    }
    return null;
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        int n = in.read(chunk);
        if (n == -1) {
          break;
        }
        buf.write(chunk, 0, n);
      } catch (SocketTimeoutException e) {
        // keep waiting for the close
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static String head(String path, int contentLength) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
