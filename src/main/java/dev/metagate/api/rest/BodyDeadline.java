package dev.metagate.api.rest;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;
import java.util.function.Consumer;

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
    watch(
        ctx.vertx(),
        ctx.request(),
        ctx.response(),
        millis,
        () -> ctx.put(RequestMetrics.CODE, Code.DEADLINE_EXCEEDED.number()),
        cancel -> ctx.addEndHandler(v -> cancel.run()));
    ctx.next();
  }

  /**
   * Answers {@code request} 408 if its body has not arrived {@code millis} after now. The timer is
   * armed only if the body is still missing once the event loop has handled what it has already
   * read: a small body usually arrives with its head, and a timer per request (created and
   * cancelled) cost a few percent of a durable write. {@code answering} runs just before the 408
   * (to note its code); {@code atEnd} is given the timer's cancellation, to run when the request
   * ends.
   */
  static void watch(
      Vertx vertx,
      HttpServerRequest request,
      HttpServerResponse response,
      long millis,
      Runnable answering,
      Consumer<Runnable> atEnd) {
    if (request.isEnded()) {
      return;
    }
    vertx.runOnContext(
        v -> {
          if (!late(request, response)) {
            return;
          }
          long timer =
              vertx.setTimer(
                  millis,
                  id -> {
                    if (late(request, response)) {
                      answering.run();
                      answerLate(response);
                    }
                  });
          atEnd.accept(() -> vertx.cancelTimer(timer));
        });
  }

  /** Whether the body is still missing and there is someone to answer. */
  private static boolean late(HttpServerRequest request, HttpServerResponse response) {
    return !request.isEnded() && !response.ended() && !response.closed();
  }

  /** 408 with code 4, and the connection closed: the rest of its stream cannot be trusted. */
  private static void answerLate(HttpServerResponse response) {
    response.putHeader("connection", "close");
    ErrorMapper.send(
        response,
        408,
        MetagateException.of(Code.DEADLINE_EXCEEDED, "request body not received in time"));
  }
}
