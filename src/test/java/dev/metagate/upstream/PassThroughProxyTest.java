package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST pass-through as an HTTP proxy, against an origin server that shows what reached it:
 * hop-by-hop headers stay on their hop, bodies stream both ways byte for byte, trailers arrive,
 * back-pressure reaches ZITADEL's side, and a caller that goes away takes its upstream request with
 * it. The ZITADEL-shaped answers to faults are in {@link UpstreamFaultsTest}.
 */
@ExtendWith(Invariants.class)
class PassThroughProxyTest {
  private static final long FLOOD_CAP = 128L << 20;

  private static Vertx vertx;
  private static HttpServer origin;
  private static TestIssuer issuer;
  private static TestGateway gw;

  /** With the access log on, pass-through goes through the router instead of around it. */
  private static TestGateway routed;

  private static HttpClient caller;

  /**
   * Every call is made on this one context: the caller's pooled connections then answer on the
   * thread that asked, and a body handler set when the head arrives cannot miss an answer that
   * ended in the same read (as a 204's does).
   */
  private static Context callerContext;

  private static final Map<String, MultiMap> seen = new ConcurrentHashMap<>();
  private static final AtomicBoolean hangClosed = new AtomicBoolean();
  private static final AtomicLong flooded = new AtomicLong();
  private static final AtomicBoolean floodClosed = new AtomicBoolean();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    origin =
        vertx
            .createHttpServer()
            .requestHandler(PassThroughProxyTest::serve)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    issuer = TestIssuer.start();
    gw = sidecar(Map.of());
    routed = sidecar(Map.of("METAGATE_LOG_ACCESS", "true"));
    caller = vertx.createHttpClient();
    callerContext = vertx.getOrCreateContext();
  }

  /** metagate in upstream mode in front of the origin, with {@code more} settings. */
  private static TestGateway sidecar(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put("METAGATE_MODE", "upstream");
    env.put("METAGATE_UPSTREAM_URL", "http://127.0.0.1:" + origin.actualPort());
    env.put("METAGATE_UPSTREAM_TIMEOUT", "30s");
    return TestGateway.start(issuer, env);
  }

  @AfterAll
  static void stop() {
    gw.close();
    routed.close();
    issuer.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static void serve(HttpServerRequest req) {
    seen.put(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
    HttpServerResponse resp = req.response();
    switch (req.path()) {
      case "/echo" -> {
        resp.setChunked(true)
            .putHeader("connection", "keep-alive, x-resp-hop")
            .putHeader("x-resp-hop", "1")
            .putHeader("keep-alive", "timeout=9")
            .putHeader("x-end-resp", "kept");
        req.pipeTo(resp);
      }
      case "/sized" -> {
        int n = Integer.parseInt(req.getParam("n"));
        if (req.method() == HttpMethod.HEAD) {
          resp.putHeader("content-length", String.valueOf(n)).end();
        } else {
          resp.end(Buffer.buffer(pattern(n)));
        }
      }
      case "/trailers" -> {
        resp.setChunked(true).write("part-1;");
        resp.trailers().add("x-checksum", "abc").add("x-count", "2");
        resp.end("part-2");
      }
      case "/empty" -> resp.setStatusCode(204).putHeader("x-end-resp", "kept").end();
      case "/hang" -> resp.closeHandler(v -> hangClosed.set(true));
      case "/flood" -> {
        resp.setChunked(true).closeHandler(v -> floodClosed.set(true));
        flood(resp, Buffer.buffer(new byte[64 * 1024]));
      }
      default -> resp.setStatusCode(404).end();
    }
  }

  /** Writes until the response's queue is full, then again on drain, up to FLOOD_CAP bytes. */
  private static void flood(HttpServerResponse resp, Buffer chunk) {
    while (!resp.writeQueueFull() && flooded.get() < FLOOD_CAP && !resp.closed()) {
      resp.write(chunk);
      flooded.addAndGet(chunk.length());
    }
    if (flooded.get() < FLOOD_CAP && !resp.closed()) {
      resp.drainHandler(v -> flood(resp, chunk));
    }
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A response with its body, read as it arrives. */
  private record Answer(HttpClientResponse r, Buffer body) {}

  private static Answer fetch(
      RequestOptions o, Function<HttpClientRequest, Future<HttpClientResponse>> send)
      throws Exception {
    Promise<Answer> answer = Promise.promise();
    callerContext.runOnContext(
        v ->
            caller
                .request(o)
                .compose(send)
                .compose(r -> r.body().map(b -> new Answer(r, b)))
                .onComplete(answer));
    return await(answer.future());
  }

  private static Answer fetch(RequestOptions o) throws Exception {
    return fetch(o, HttpClientRequest::send);
  }

  private RequestOptions to(HttpMethod method, String uri) {
    return new RequestOptions()
        .setMethod(method)
        .setHost("127.0.0.1")
        .setPort(gw.gateway().apiPort())
        .setURI(uri);
  }

  @Test
  void hopByHopHeaders_stayOnTheirHop_endToEndHeadersCross() throws Exception {
    RequestOptions o =
        to(HttpMethod.POST, "/echo")
            .putHeader("connection", "keep-alive, x-secret-hop")
            .putHeader("x-secret-hop", "1")
            .putHeader("keep-alive", "timeout=5")
            .putHeader("proxy-authorization", "Basic c2VjcmV0")
            .putHeader("te", "trailers")
            .putHeader("x-end", "kept")
            .putHeader("x-request-id", "hop-test-1");
    Answer a = fetch(o, req -> req.send("ping"));
    HttpClientResponse r = a.r();
    Buffer body = a.body();

    MultiMap atOrigin = seen.get("/echo");
    assertThat(atOrigin.get("x-end")).isEqualTo("kept");
    assertThat(atOrigin.get("x-request-id")).isEqualTo("hop-test-1");
    assertThat(atOrigin.get("host")).isEqualTo("127.0.0.1:" + origin.actualPort());
    assertThat(atOrigin.names())
        .map(String::toLowerCase)
        .doesNotContain("x-secret-hop", "keep-alive", "proxy-authorization", "te");
    assertThat(atOrigin.get("connection")).isNull();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body.toString()).isEqualTo("ping");
    assertThat(r.getHeader("x-end-resp")).isEqualTo("kept");
    assertThat(r.headers().getAll("x-request-id")).containsExactly("hop-test-1");
    assertThat(r.headers().names())
        .map(String::toLowerCase)
        .doesNotContain("x-resp-hop", "keep-alive");
  }

  @Test
  void largeBodies_streamBothWays_byteForByte() throws Exception {
    byte[] sent = pattern(6 * 1024 * 1024);
    // a chunked request body (no length), echoed back chunked
    Answer r =
        fetch(
            to(HttpMethod.POST, "/echo"),
            req -> {
              req.setChunked(true);
              for (int i = 0; i < sent.length; i += 100_000) {
                req.write(Buffer.buffer(sent).slice(i, Math.min(sent.length, i + 100_000)));
              }
              req.end();
              return req.response();
            });
    assertThat(r.r().getHeader("transfer-encoding")).isEqualTo("chunked");
    assertThat(sha256(r.body().getBytes())).isEqualTo(sha256(sent));
    assertThat(seen.get("/echo").get("transfer-encoding")).isEqualTo("chunked");

    // an answer with a length, above and below the size that is read whole
    for (int n : new int[] {10, 65_536, 300_000}) {
      Answer s = fetch(to(HttpMethod.GET, "/sized?n=" + n));
      assertThat(s.r().getHeader("content-length")).isEqualTo(String.valueOf(n));
      assertThat(s.body().getBytes()).isEqualTo(pattern(n));
    }
  }

  @Test
  void trailers_reachTheCaller() throws Exception {
    Answer a = fetch(to(HttpMethod.GET, "/trailers"));
    assertThat(a.body().toString()).isEqualTo("part-1;part-2");
    assertThat(a.r().trailers().get("x-checksum")).isEqualTo("abc");
    assertThat(a.r().trailers().get("x-count")).isEqualTo("2");
  }

  @Test
  void noContentAndHead_answerWithoutABody() throws Exception {
    Answer a = fetch(to(HttpMethod.DELETE, "/empty"));
    assertThat(a.r().statusCode()).isEqualTo(204);
    assertThat(a.r().getHeader("x-end-resp")).isEqualTo("kept");
    assertThat(a.r().getHeader("transfer-encoding")).isNull();
    assertThat(a.body().length()).isZero();

    Answer h = fetch(to(HttpMethod.HEAD, "/sized?n=5000"));
    assertThat(h.r().getHeader("content-length")).isEqualTo("5000");
    assertThat(h.body().length()).isZero();
    // the connection is still in step: the next answer is whole
    Answer next = fetch(to(HttpMethod.GET, "/sized?n=7"));
    assertThat(next.body().getBytes()).isEqualTo(pattern(7));
  }

  @Test
  void expectContinue_theBodyFollowsAndArrives() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base() + "/echo"))
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("after continue"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("after continue");
    assertThat(seen.get("/echo").get("expect")).isNull();
  }

  @Test
  void aCallerThatGoesAway_takesItsUpstreamRequestWithIt() throws Exception {
    for (TestGateway g : List.of(gw, routed)) {
      hangClosed.set(false);
      seen.remove("/hang");
      try (Socket s = new Socket("127.0.0.1", g.gateway().apiPort())) {
        s.getOutputStream()
            .write("GET /hang HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        eventually(5_000, () -> seen.containsKey("/hang"));
      }
      // upstream.timeout is 30 s: only the caller's close can end the upstream request this soon
      eventually(5_000, hangClosed::get);
    }
  }

  @Test
  void aCallerThatDoesNotRead_holdsZitadelBack_andReleasesItOnClose() throws Exception {
    flooded.set(0);
    floodClosed.set(false);
    try (Socket s = new Socket("127.0.0.1", gw.gateway().apiPort())) {
      s.setReceiveBufferSize(64 * 1024);
      OutputStream out = s.getOutputStream();
      out.write("GET /flood HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      assertThat(in.read()).isEqualTo('H'); // the answer has started; now stop reading
      long last = -1;
      for (int i = 0; i < 100 && flooded.get() != last; i++) {
        last = flooded.get();
        Thread.sleep(200);
      }
      assertThat(flooded.get())
          .as("bytes ZITADEL's side could write to a caller that reads nothing")
          .isLessThan(48L << 20)
          .isEqualTo(last);
    }
    eventually(5_000, floodClosed::get);
  }

  private String base() {
    return "http://127.0.0.1:" + gw.gateway().apiPort();
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
