package dev.metagate.api.rest;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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

  /**
   * The timer is armed only if the body is still missing once the event loop has handled what it
   * has already read: a small body usually arrives with its head, and a timer per request (created
   * and cancelled) cost a few percent of a durable write.
   */
  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      ctx.vertx().runOnContext(v -> armIfStillReading(ctx));
    }
    ctx.next();
  }

  private void armIfStillReading(RoutingContext ctx) {
    if (ctx.request().isEnded() || ctx.response().ended()) {
      return;
    }
    long timer = ctx.vertx().setTimer(millis, id -> expire(ctx));
    ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
  }

  private static void expire(RoutingContext ctx) {
    if (late(ctx.request(), ctx.response())) {
      ctx.put(RequestMetrics.CODE, Code.DEADLINE_EXCEEDED.number());
      answerLate(ctx.response());
    }
  }

  /** Whether the body is still missing at the deadline and there is someone to answer. */
  static boolean late(HttpServerRequest request, HttpServerResponse response) {
    return !request.isEnded() && !response.ended() && !response.closed();
  }

  /** 408 with code 4, and the connection closed: the rest of its stream cannot be trusted. */
  static void answerLate(HttpServerResponse response) {
    response.putHeader("connection", "close");
    ErrorMapper.send(
        response,
        408,
        MetagateException.of(Code.DEADLINE_EXCEEDED, "request body not received in time"));
  }
}
