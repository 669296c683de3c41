package dev.metagate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Set;

/**
 * Streams a gRPC or gRPC-web call metagate does not answer itself to ZITADEL over HTTP/2 (h2c with
 * prior knowledge for an http upstream, ALPN h2 for https, as ZITADEL serves gRPC on its REST
 * port): method, path, metadata, the message stream in both directions with back-pressure, and the
 * response trailers ({@code grpc-status}, {@code grpc-message}, anything else), with REST's header
 * rules and answer streaming ({@link Relay}) but its own HTTP/2 pool, since gRPC needs HTTP/2
 * whatever the REST pool speaks. The call carries metagate's request id (the caller's, or a new
 * one) to ZITADEL and back in the response headers, once. A call ZITADEL cannot be reached for is
 * answered UNAVAILABLE, trailers-only.
 */
final class GrpcPassThrough {
  static final String OPERATION = "grpc_passthrough";

  /** The length is dropped: the message stream goes chunked (HTTP/1.1) or as DATA frames. */
  private static final Set<String> LENGTH = Relay.names("content-length");

  private final HttpClient http;
  private final UpstreamOptions options;
  private final UpstreamListener listener;

  GrpcPassThrough(Vertx vertx, UpstreamOptions options, UpstreamListener listener) {
    this.options = options;
    this.listener = listener;
    HttpClientOptions c =
        new HttpClientOptions()
            .setDefaultHost(options.host())
            .setDefaultPort(options.port())
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.max(1, options.timeout().toMillis()))
            .setMaxHeaderSize(32 * 1024);
    if (options.tls()) {
      c.setSsl(true).setVerifyHost(true).setUseAlpn(true);
    }
    this.http =
        vertx
            .httpClientBuilder()
            .with(c)
            .with(new PoolOptions().setHttp2MaxSize(Math.max(1, options.maxConnections())))
            .build();
  }

  void handle(HttpServerRequest request, String requestId) {
    request.pause();
    MultiMap headers =
        Relay.copyHeaders(request.headers(), MultiMap.caseInsensitiveMultiMap(), LENGTH, true);
    RequestOptions o =
        new RequestOptions()
            .setMethod(request.method())
            .setURI(options.basePath() + request.uri())
            .setHeaders(headers.set(Relay.REQUEST_ID, requestId));
    request.response().putHeader(Relay.REQUEST_ID, requestId);
    http.request(o)
        .onSuccess(upstream -> forward(request, upstream))
        .onFailure(t -> unavailable(request, t));
  }

  private void forward(HttpServerRequest request, HttpClientRequest upstream) {
    upstream
        .response()
        .onSuccess(r -> answer(request.response(), r))
        .onFailure(t -> unavailable(request, t));
    upstream.setChunked(true); // the length is unknown up front; HTTP/2 just streams DATA frames
    request.exceptionHandler(t -> upstream.reset());
    request.response().closeHandler(v -> upstream.reset());
    // pipeTo ends the upstream request when the caller's stream ends, with back-pressure
    request.pipeTo(upstream);
  }

  private void answer(HttpServerResponse response, HttpClientResponse r) {
    if (response.ended() || response.closed()) {
      r.request().reset();
      return;
    }
    response.setStatusCode(r.statusCode());
    Relay.copyHeaders(r.headers(), response.headers(), LENGTH); // ZITADEL's id echo dropped
    response.setChunked(true); // an HTTP/1.1 caller (gRPC-web) gets the stream chunked
    Relay.stream(r, response, () -> listener.outcome(OPERATION, Failures.outcome(r.statusCode())));
  }

  private void unavailable(HttpServerRequest request, Throwable t) {
    listener.outcome(OPERATION, Failures.outcome(t));
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      response.reset();
      return;
    }
    String type = request.getHeader("content-type");
    response
        .setStatusCode(200)
        .putHeader("content-type", type == null ? "application/grpc" : type)
        .putHeader("grpc-status", "14")
        .putHeader("grpc-message", "upstream unavailable")
        .end();
  }

  io.vertx.core.Future<Void> close() {
    return http.close();
  }
}
