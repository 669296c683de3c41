package dev.metagate.api.rest;

import dev.metagate.ops.Logging;
import dev.metagate.ops.RequestIds;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per API request on the {@code metagate.access} logger: method, path without the
 * query, status, duration, request id, operation. The path keeps its key segment (keys name data,
 * they are not data); the query, headers and bodies, where tokens and values travel, are never read
 * for it.
 */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger(Logging.ACCESS_LOGGER);

  /** Long enough for the longest valid path, short enough to bound a line. */
  private static final int MAX_PATH_CHARS = 2048;

  private AccessLog() {}

  static void write(RoutingContext ctx, String operation, int code, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    if (path != null && path.length() > MAX_PATH_CHARS) {
      path = path.substring(0, MAX_PATH_CHARS) + "...";
    }
    int status = ctx.response().getStatusCode();
    String id = ctx.get(RequestIds.CONTEXT_KEY, "");
    double ms = Math.round(nanos / 1_000.0) / 1_000.0;
    LOG.atInfo()
        .addKeyValue(Logging.REQUEST_ID, id)
        .addKeyValue("operation", operation)
        .addKeyValue("method", method)
        .addKeyValue("path", path)
        .addKeyValue("status", status)
        .addKeyValue("code", code)
        .addKeyValue("durationMs", ms)
        .log("{} {} {} {}ms op={} id={}", method, path, status, ms, operation, id);
  }
}
