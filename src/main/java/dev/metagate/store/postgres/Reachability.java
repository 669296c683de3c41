package dev.metagate.store.postgres;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers, for readiness: every read, commit and a periodic probe report their
 * outcome, and each change of state is logged once (an outage is a WARN, not an ERROR per request).
 */
final class Reachability {
  private static final Logger LOG = LoggerFactory.getLogger(Reachability.class);
  static final long PROBE_INTERVAL_MS = 1_000;

  private volatile boolean up = true;
  private long timer = -1;

  boolean up() {
    return up;
  }

  void succeeded() {
    if (!up) {
      up = true;
      LOG.info("database reachable again");
    }
  }

  void failed(Throwable cause) {
    if (up) {
      up = false;
      LOG.warn(
          "database unreachable, answering 503 until it is back: {}", Failures.describe(cause));
    }
  }

  /** Probes the database with {@code SELECT 1} every second, so readiness recovers without load. */
  void start(Vertx vertx, Pool pool, long timeoutMs) {
    timer =
        vertx.setPeriodic(
            PROBE_INTERVAL_MS,
            id ->
                pool.query("SELECT 1")
                    .execute()
                    .timeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .onSuccess(x -> succeeded())
                    .onFailure(this::failed));
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
