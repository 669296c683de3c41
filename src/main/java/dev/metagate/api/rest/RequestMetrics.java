package dev.metagate.api.rest;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.ops.Logging;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;

/**
 * Counts and times every REST request when its response ends, and writes its access-log line when
 * the access log is on. The handlers name the operation and, on failure, the gRPC code; without
 * them the operation is "other" and the code follows from the HTTP status.
 */
final class RequestMetrics implements Handler<RoutingContext> {
  static final String OPERATION = "metagate.operation";
  static final String CODE = "metagate.code";
  private static final String OTHER = "other";

  private final Metrics metrics;
  private final boolean accessLog;

  RequestMetrics(Metrics metrics, boolean accessLog) {
    this.metrics = metrics;
    this.accessLog = accessLog;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(
        v -> {
          String operation = ctx.get(OPERATION, OTHER);
          Integer code = ctx.get(CODE);
          int grpc = code != null ? code : codeOf(ctx.response().getStatusCode());
          long nanos = System.nanoTime() - started;
          metrics.request(operation, "rest", grpc, nanos);
          if (accessLog) {
            AccessLog.write(ctx, operation, grpc, nanos);
          }
        });
    ctx.next();
  }

  /** Answers {@code failure} in ZITADEL's error shape and notes its gRPC code for the metrics. */
  static void fail(RoutingContext ctx, Throwable failure) {
    MetagateException e = normalize(failure, ctx.get(RequestIds.CONTEXT_KEY, ""));
    ctx.put(CODE, e.code().number());
    ErrorMapper.send(ctx.response(), e);
  }

  /** {@code failure} as the error to answer; a bug logged meanwhile carries the request's id. */
  static MetagateException normalize(Throwable failure, String requestId) {
    MDC.put(Logging.REQUEST_ID, requestId);
    try {
      return ErrorMapper.normalize(failure);
    } finally {
      MDC.remove(Logging.REQUEST_ID);
    }
  }

  /** The code a status stands for when no handler recorded one (200 is OK). */
  static int codeOf(int status) {
    if (status == 200) {
      return Code.OK.number();
    }
    for (Code c : Code.values()) {
      if (c != Code.OK && ErrorMapper.httpStatus(c) == status) {
        return c.number();
      }
    }
    return Code.UNKNOWN.number();
  }
}
