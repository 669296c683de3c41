import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for ZITADEL's REST gateway for the upstream-mode benchmarks: every answer waits a
 * fixed DELAY_MS (a timer, no thread blocked) after the request body arrived, then answers the
 * shape metagate reads. It keeps no state: every user has the same three keys.
 *
 * <ul>
 *   <li>{@code POST /management/v1/users/{id}/metadata/_search}: ListUserMetadata
 *   <li>{@code GET  /management/v1/users/{id}/metadata/{key}}: GetUserMetadata
 *   <li>{@code POST /management/v1/users/{id}/metadata/_bulk}, {@code POST .../{key}}, {@code
 *       DELETE ...}: writes, counted
 *   <li>{@code GET /fake/stats}: {"writes":N,"reads":N,"other":N} (not delayed); {@code POST
 *       /fake/reset} zeroes them
 *   <li>anything else (e.g. {@code GET /management/v1/orgs/me}): a small JSON org, delayed
 * </ul>
 *
 * Run: java -cp target/metagate.jar:classes FakeZitadel PORT DELAY_MS
 */
public class FakeZitadel extends VerticleBase {
  static int port;
  static long delayMs;
  static final AtomicLong writes = new AtomicLong();
  static final AtomicLong reads = new AtomicLong();
  static final AtomicLong other = new AtomicLong();
  static final String PREFIX = "/management/v1/users/";
  static final Buffer ORG =
      Buffer.buffer(
          "{\"org\":{\"id\":\"bench-org\",\"details\":{\"sequence\":\"1\","
              + "\"resourceOwner\":\"bench-org\"},\"state\":\"ORG_STATE_ACTIVE\","
              + "\"name\":\"bench\",\"primaryDomain\":\"bench.example.com\"}}");

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> handle(req, body)))
        .listen(port, "127.0.0.1");
  }

  private void handle(HttpServerRequest req, Buffer body) {
    String path = req.path();
    if (path.equals("/fake/stats")) {
      JsonObject s =
          new JsonObject()
              .put("writes", writes.get())
              .put("reads", reads.get())
              .put("other", other.get());
      req.response().putHeader("content-type", "application/json").end(s.toBuffer());
      return;
    }
    if (path.equals("/fake/reset")) {
      writes.set(0);
      reads.set(0);
      other.set(0);
      req.response().end();
      return;
    }
    Buffer answer;
    if (path.startsWith(PREFIX) && path.contains("/metadata")) {
      String rest = path.substring(path.indexOf("/metadata") + "/metadata".length());
      if (req.method() == HttpMethod.POST && rest.equals("/_search")) {
        reads.incrementAndGet();
        answer = list();
      } else if (req.method() == HttpMethod.GET && rest.startsWith("/")) {
        reads.incrementAndGet();
        answer = one(rest.substring(1));
      } else {
        writes.incrementAndGet();
        answer = written();
      }
    } else {
      other.incrementAndGet();
      answer = ORG;
    }
    vertx.setTimer(
        delayMs,
        t -> req.response().putHeader("content-type", "application/json").end(answer));
  }

  private static JsonObject details(long sequence) {
    String now = Instant.now().toString();
    return new JsonObject()
        .put("sequence", Long.toString(sequence))
        .put("creationDate", now)
        .put("changeDate", now)
        .put("resourceOwner", "bench-org");
  }

  private static Buffer list() {
    JsonArray result = new JsonArray();
    String[][] kv = {{"greeting", "aGVsbG8="}, {"key-1a", "eA=="}, {"key-1b", "eQ=="}};
    for (String[] e : kv) {
      result.add(new JsonObject().put("details", details(1)).put("key", e[0]).put("value", e[1]));
    }
    JsonObject d =
        new JsonObject()
            .put("totalResult", Long.toString(kv.length))
            .put("processedSequence", "1")
            .put("viewTimestamp", Instant.now().toString());
    return new JsonObject().put("details", d).put("result", result).toBuffer();
  }

  private static Buffer one(String key) {
    JsonObject md =
        new JsonObject().put("details", details(1)).put("key", key).put("value", "aGVsbG8=");
    return new JsonObject().put("metadata", md).toBuffer();
  }

  private static Buffer written() {
    return new JsonObject().put("details", details(writes.get() + 1)).toBuffer();
  }

  public static void main(String[] args) {
    port = Integer.parseInt(args[0]);
    delayMs = Long.parseLong(args[1]);
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx
        .deployVerticle(FakeZitadel::new, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("fake zitadel on " + port + ", delay " + delayMs + " ms"))
        .onFailure(e -> { e.printStackTrace(); System.exit(1); });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    System.out.println(
                        "fake zitadel writes " + writes.get() + " reads " + reads.get()
                            + " other " + other.get())));
  }
}
