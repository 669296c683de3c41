package dev.metagate.api.grpc;

import dev.metagate.api.CallPipeline;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * Binds unary methods to a {@link GrpcServer}: each call counts against the port's in-flight bound
 * (UNAVAILABLE beyond it), reads its one request message, is answered exactly once (a response or a
 * status from {@link StatusMapper}) and is recorded in the request metrics.
 */
final class Unary {
  /** How one method answers: parse its request, then run the work through the {@link Call}. */
  @FunctionalInterface
  interface Method<Req, Resp> {
    Future<Resp> answer(Req request, Call call);
  }

  private final CallPipeline pipeline;
  private final InFlightLimiter inFlight;
  private final Metrics metrics;

  Unary(CallPipeline pipeline, InFlightLimiter inFlight, Metrics metrics) {
    this.pipeline = pipeline;
    this.inFlight = inFlight;
    this.metrics = metrics;
  }

  <Req, Resp> void bind(
      GrpcServer server, ServiceMethod<Req, Resp> method, Method<Req, Resp> answer) {
    String operation = method.methodName();
    server.callHandler(method, request -> handle(request, operation, answer));
  }

  private <Req, Resp> void handle(
      GrpcServerRequest<Req, Resp> request, String operation, Method<Req, Resp> answer) {
    long started = System.nanoTime();
    String protocol = protocolOf(request);
    if (!inFlight.tryAcquire()) {
      StatusMapper.send(request.response(), InFlightLimiter.REFUSED);
      metrics.request(
          operation,
          protocol,
          InFlightLimiter.REFUSED.code().number(),
          System.nanoTime() - started);
      return;
    }
    Call call = new Call(request, pipeline);
    request
        .last()
        .recover(Unary::malformed)
        .compose(message -> invoke(answer, message, call))
        .onComplete(
            ar -> {
              inFlight.release();
              int code = reply(request, call, ar);
              metrics.request(operation, protocol, code, System.nanoTime() - started);
            });
  }

  private static <Req, Resp> Future<Resp> invoke(Method<Req, Resp> answer, Req message, Call call) {
    try {
      return answer.answer(message, call);
    } catch (MetagateException e) {
      return Future.failedFuture(e);
    }
  }

  /** Answers the call; returns the gRPC code it was answered with, for the metrics. */
  private static <Req, Resp> int reply(
      GrpcServerRequest<Req, Resp> request, Call call, AsyncResult<Resp> ar) {
    if (call.expired()) {
      return Code.DEADLINE_EXCEEDED.number(); // Vert.x answered when the deadline passed
    }
    if (ar.succeeded()) {
      try {
        request.response().end(ar.result());
      } catch (IllegalStateException cancelled) {
        return Code.CANCELLED.number();
      }
      return Code.OK.number();
    }
    MetagateException e = StatusMapper.normalize(ar.cause());
    StatusMapper.send(request.response(), e);
    return e.code().number();
  }

  /**
   * The request stream ended without one well-formed message (no message, bytes that are not the
   * method's message, or the client went away, in which case nobody reads the answer).
   */
  private static <T> Future<T> malformed(Throwable cause) {
    return Future.failedFuture(MetagateException.invalidArgument("request message is malformed"));
  }

  private static String protocolOf(GrpcServerRequest<?, ?> request) {
    return GrpcApi.protocolOf(request.headers().get("content-type"));
  }
}
