package dev.metagate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaviour of the fake ZITADEL for one endpoint: added latency, a 5xx with ZITADEL's error
 * body, 429 with Retry-After, a connection reset in the middle of the answer, or no answer at all.
 * {@link #times} limits it to the next n calls (then the endpoint behaves again).
 */
public final class Fault {
  private enum Kind {
    LATENCY,
    STATUS,
    RESET_MID_BODY,
    HANG
  }

  private final Kind kind;
  private final long latencyMs;
  private final int status;
  private final String retryAfter;
  private final AtomicInteger remaining = new AtomicInteger(-1);

  private Fault(Kind kind, long latencyMs, int status, String retryAfter) {
    this.kind = kind;
    this.latencyMs = latencyMs;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public static Fault latency(long ms) {
    return new Fault(Kind.LATENCY, ms, 0, null);
  }

  /** An error status with ZITADEL's error body (code 14 for 503, 13 otherwise). */
  public static Fault status(int status) {
    return new Fault(Kind.STATUS, 0, status, null);
  }

  public static Fault tooManyRequests(String retryAfter) {
    return new Fault(Kind.STATUS, 0, 429, retryAfter);
  }

  public static Fault resetMidBody() {
    return new Fault(Kind.RESET_MID_BODY, 0, 0, null);
  }

  public static Fault hang() {
    return new Fault(Kind.HANG, 0, 0, null);
  }

  /** Only the next {@code n} calls misbehave. */
  public Fault times(int n) {
    remaining.set(n);
    return this;
  }

  boolean applies() {
    int left = remaining.get();
    return left < 0 || (left > 0 && remaining.compareAndSet(left, left - 1));
  }

  void apply(Vertx vertx, HttpServerRequest req, Runnable normal) {
    switch (kind) {
      case LATENCY -> vertx.setTimer(latencyMs, id -> normal.run());
      case STATUS -> error(req);
      case RESET_MID_BODY -> {
        req.response().setChunked(true).putHeader("content-type", "application/json");
        req.response().write("{\"details\":{\"sequ");
        vertx.setTimer(20, id -> req.connection().close());
      }
      case HANG -> {}
    }
  }

  private void error(HttpServerRequest req) {
    int code = status == 429 ? 8 : status == 503 ? 14 : 13;
    if (retryAfter != null) {
      req.response().putHeader("retry-after", retryAfter);
    }
    req.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("code", code).put("message", "fake fault " + status).encode());
  }
}
