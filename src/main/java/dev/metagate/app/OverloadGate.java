package dev.metagate.app;

import dev.metagate.api.grpc.GrpcApi;
import dev.metagate.api.rest.RestApi;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The API port's first handler: while every in-flight slot is taken, a request is refused here,
 * before the router or the gRPC server sees it, and otherwise passed on.
 *
 * <p>Under overload most requests are refusals, and on a small machine every microsecond a refusal
 * costs is taken from the requests being served. So a refusal does only this: echo the request id,
 * write a response built from constants (REST: 503, Retry-After, ZITADEL's error body; gRPC:
 * UNAVAILABLE as trailers-only), and increment one counter. No routing context, access log, timer
 * or body handler; the body, if any, is dropped by Vert.x as it arrives, so the connection stays
 * usable for the client's next request. A client that waits for 100 Continue before sending its
 * body will not send it now, so its connection is closed instead: the server could not tell where
 * the next request starts.
 *
 * <p>The check is a racy read; the routes and gRPC calls still acquire their slot from the same
 * {@link InFlightLimiter}, which stays the exact bound.
 */
final class OverloadGate implements Handler<HttpServerRequest> {
  private static final CharSequence EXPECT = HttpHeaders.createOptimized("expect");
  private static final CharSequence CONNECTION = HttpHeaders.createOptimized("connection");
  private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

  private final InFlightLimiter inFlight;
  private final Handler<HttpServerRequest> next;
  private final RequestIds ids = new RequestIds();
  private final Counter rest;
  private final Counter grpc;
  private final Counter grpcWeb;

  OverloadGate(InFlightLimiter inFlight, Metrics metrics, Handler<HttpServerRequest> next) {
    this.inFlight = inFlight;
    this.next = next;
    this.rest = metrics.refusals("rest");
    this.grpc = metrics.refusals("grpc");
    this.grpcWeb = metrics.refusals("grpc-web");
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (!inFlight.full()) {
      next.handle(request);
      return;
    }
    HttpServerResponse response = request.response();
    ids.echo(request, response);
    if (request.version() != HttpVersion.HTTP_2
        && !request.isEnded()
        && request.headers().contains(EXPECT)) {
      response.putHeader(CONNECTION, CLOSE);
      response.endHandler(v -> request.connection().close());
    }
    if (GrpcApi.isGrpc(request)) {
      count(GrpcApi.protocolOf(request.getHeader(HttpHeaders.CONTENT_TYPE)));
      GrpcApi.refuseOverloaded(request);
    } else {
      rest.increment();
      RestApi.refuseOverloaded(response);
    }
  }

  private void count(String protocol) {
    (protocol.equals("grpc") ? grpc : grpcWeb).increment();
  }
}
