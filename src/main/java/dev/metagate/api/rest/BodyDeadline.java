package dev.metagate.api.rest;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;

/**
 * A request's body must have arrived within a deadline of its head; a client that trickles it would
 * otherwise hold an in-flight slot (and a buffer) for as long as it likes, since every byte resets
 * the connection's idle timeout. Past the deadline the request is answered 408 (code 4) and the
 * connection closed. Time spent after the body arrived (waiting for the store) does not count.
 */
final class BodyDeadline implements PlatformHandler {
  private final long millis;

  BodyDeadline(Duration deadline) {
    this.millis = Math.max(1, deadline.toMillis());
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      long timer = ctx.vertx().setTimer(millis, id -> expire(ctx));
      ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    }
    ctx.next();
  }

  private static void expire(RoutingContext ctx) {
    if (ctx.request().isEnded() || ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.put(RequestMetrics.CODE, Code.DEADLINE_EXCEEDED.number());
    ctx.response().putHeader("connection", "close");
    ErrorMapper.send(
        ctx.response(),
        408,
        MetagateException.of(Code.DEADLINE_EXCEEDED, "request body not received in time"));
  }
}
