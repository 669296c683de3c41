package dev.metagate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Http;
import dev.metagate.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers of the upstream-mode tests: a gateway in front of a fake ZITADEL, and comparisons. */
final class Upstreams {
  static final String ORG = "org-1";
  static final String BASE = "/management/v1/users/";

  private Upstreams() {}

  /** metagate in upstream mode in front of {@code fake}, with small timeouts for fast tests. */
  static TestGateway gateway(FakeZitadel fake, Map<String, String> more) {
    return gateway(fake, more, Ticker.systemTicker());
  }

  /** The same, with the cache's time on {@code ticker}. */
  static TestGateway gateway(FakeZitadel fake, Map<String, String> more, Ticker ticker) {
    Map<String, String> env = new HashMap<>();
    env.put("METAGATE_MODE", "upstream");
    env.put("METAGATE_UPSTREAM_URL", fake.url());
    env.put("METAGATE_UPSTREAM_TIMEOUT", "800ms");
    env.put("METAGATE_UPSTREAM_RETRIES", "2");
    env.put("METAGATE_UPSTREAM_CIRCUIT_FAILURES", "1000");
    env.putAll(more);
    return TestGateway.start(fake.issuer(), env, ticker);
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@code waitMs}. */
  static void eventually(long waitMs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %d ms", waitMs).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static String path(String user, String last) {
    return BASE + user + "/metadata/" + last;
  }

  /** The body with timestamps blanked: two users' histories differ only in time. */
  static Object normalized(Http.Response r) {
    if (r.body().isEmpty()) {
      return r.status() + " <empty>";
    }
    return r.status() + " " + blankTimes(new JsonObject(r.body()));
  }

  private static Object blankTimes(Object v) {
    if (v instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (String k : o.fieldNames()) {
        boolean time = k.endsWith("Date") || k.equals("viewTimestamp");
        out.put(k, time ? "<time>" : blankTimes(o.getValue(k)));
      }
      return out;
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(x -> out.add(blankTimes(x)));
      return out;
    }
    return v;
  }
}
