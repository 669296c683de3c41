package dev.metagate.app;

import dev.metagate.auth.DevIssuer;
import dev.metagate.config.ConfigLoader;
import dev.metagate.config.MetagateConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code metagate self-test}: starts a throw-away metagate (free ports, temp store, dev issuer),
 * calls each v1 and v2 endpoint once over HTTP, checks the statuses and stops. It proves an install
 * works, and it is the workload run.sh records the class-data-sharing archive from.
 */
final class SelfTest {
  private static final String V1 = "/management/v1/users/self-test/metadata/";
  private static final String V2 = "/v2/users/self-test/metadata";

  /** Method, path, body (or null) and the status each call must get. */
  private record Call(String method, String path, String body, int status) {}

  private static final List<Call> CALLS =
      List.of(
          new Call(
              "POST", V1 + "_bulk", "{\"metadata\":[{\"key\":\"a\",\"value\":\"eA==\"}]}", 200),
          new Call("POST", V1 + "b", "{\"value\":\"eQ==\"}", 200),
          new Call("GET", V1 + "a", null, 200),
          new Call("POST", V1 + "_search", "{\"queries\":[{\"keyQuery\":{\"key\":\"a\"}}]}", 200),
          new Call("DELETE", V1 + "b", null, 200),
          new Call("DELETE", V1 + "_bulk", "{\"keys\":[\"a\"]}", 200),
          new Call("GET", V1 + "a", null, 404),
          new Call("POST", V1 + "_bulk", "{\"metadata\":[]}", 400),
          new Call("POST", V2, "{\"metadata\":[{\"key\":\"c\",\"value\":\"eg==\"}]}", 200),
          new Call("POST", V2 + "/search", "{\"filters\":[{\"keyFilter\":{\"key\":\"c\"}}]}", 200),
          new Call("DELETE", V2 + "?keys=c", null, 200),
          new Call("POST", V2 + "/search", "{\"pagination\":{\"limit\":1001}}", 400));

  private SelfTest() {}

  static int run(PrintStream out, PrintStream err) {
    Path dir = null;
    Gateway gateway = null;
    try {
      dir = Files.createTempDirectory("metagate-self-test");
      MetagateConfig config = new ConfigLoader().load(null, env(dir));
      gateway = Gateway.start(config, Clock.systemUTC()).get(60, TimeUnit.SECONDS);
      String token = token(config, dir);
      String base = "http://127.0.0.1:" + gateway.apiPort();
      HttpClient client = HttpClient.newHttpClient();
      for (Call c : CALLS) {
        int status = send(client, base, token, c);
        if (status != c.status()) {
          err.println("self-test failed: " + c.method() + " " + c.path() + " answered " + status);
          return 1;
        }
      }
      out.println("self-test passed: " + CALLS.size() + " calls");
      return 0;
    } catch (Exception e) {
      err.println("self-test failed: " + e);
      return 1;
    } finally {
      stop(gateway);
      delete(dir);
    }
  }

  private static Map<String, String> env(Path dir) {
    return Map.of(
        "METAGATE_HTTP_PORT", "0",
        "METAGATE_ADMIN_PORT", "0",
        "METAGATE_AUTH_DEV_ISSUER", "true",
        "METAGATE_STORE_PATH", dir.resolve("metagate.db").toString(),
        "METAGATE_LOG_LEVEL", "warn");
  }

  private static String token(MetagateConfig config, Path dir) throws IOException {
    Vertx vertx = Vertx.vertx();
    try {
      return DevIssuer.loadOrCreate(dir)
          .issue(
              vertx,
              config.auth().effectiveIssuer(),
              "self-test",
              "self-test-org",
              List.of("ORG_OWNER"),
              Duration.ofMinutes(5));
    } finally {
      vertx.close();
    }
  }

  private static int send(HttpClient client, String base, String token, Call c) throws Exception {
    HttpRequest.BodyPublisher body =
        c.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(c.body());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + c.path()))
            .timeout(Duration.ofSeconds(10))
            .header("authorization", "Bearer " + token)
            .method(c.method(), body)
            .build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void stop(Gateway gateway) {
    if (gateway != null) {
      gateway.stop().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
