package dev.metagate.app;

import dev.metagate.api.grpc.GrpcApi;
import dev.metagate.api.rest.RestApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One HTTP server instance on an event loop; several share the port. With a gRPC handler (the gRPC
 * server, or upstream mode's gRPC side), requests whose content type starts with {@code
 * application/grpc} (gRPC and gRPC-web) go to it and all others to the REST router, on the same
 * connections. An optional front handler (the {@link OverloadGate}) sees every request first.
 */
final class HttpVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Supplier<? extends Handler<HttpServerRequest>> router;
  private final Supplier<? extends Handler<HttpServerRequest>> grpc;
  private final UnaryOperator<Handler<HttpServerRequest>> front;
  private final Duration shutdownTimeout;
  private HttpServer server;

  HttpVerticle(
      HttpServerOptions options,
      Supplier<? extends Handler<HttpServerRequest>> router,
      Duration shutdownTimeout) {
    this(options, router, null, UnaryOperator.identity(), shutdownTimeout);
  }

  HttpVerticle(
      HttpServerOptions options,
      Supplier<? extends Handler<HttpServerRequest>> router,
      Supplier<? extends Handler<HttpServerRequest>> grpc,
      UnaryOperator<Handler<HttpServerRequest>> front,
      Duration shutdownTimeout) {
    this.options = options;
    this.router = router;
    this.grpc = grpc;
    this.front = front;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> rest = router.get();
    Handler<HttpServerRequest> rpc = grpc == null ? null : grpc.get();
    Handler<HttpServerRequest> dispatch =
        rpc == null
            ? rest
            : request -> {
              if (GrpcApi.isGrpc(request)) {
                rpc.handle(request);
              } else {
                rest.handle(request);
              }
            };
    server =
        vertx
            .createHttpServer(options)
            .requestHandler(front.apply(dispatch))
            .invalidRequestHandler(RestApi::invalidRequest);
    return server.listen();
  }

  /** Stops accepting and lets requests in flight finish, up to the shutdown timeout. */
  @Override
  public Future<?> stop() {
    return server.shutdown(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }
}
