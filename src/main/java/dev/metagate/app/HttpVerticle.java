package dev.metagate.app;

import dev.metagate.api.rest.RestApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One HTTP server instance on an event loop; several share the port. */
final class HttpVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Supplier<Router> router;
  private final Duration shutdownTimeout;
  private HttpServer server;

  HttpVerticle(HttpServerOptions options, Supplier<Router> router, Duration shutdownTimeout) {
    this.options = options;
    this.router = router;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public Future<?> start() {
    server =
        vertx
            .createHttpServer(options)
            .requestHandler(router.get())
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
