package dev.metagate.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The connection to ZITADEL: one bounded keep-alive pool (HTTP/2 where TLS negotiates it) shared by
 * metagate's own calls, with a deadline, retries and a circuit breaker, and by the pass-through of
 * every request metagate does not handle itself. Failures of the call itself (timeout, unreachable,
 * circuit open) fail the future with a {@link dev.metagate.metadata.MetagateException}; any answer
 * ZITADEL gives, error or not, is a reply.
 */
public interface UpstreamClient {
  static UpstreamClient create(Vertx vertx, UpstreamOptions options, UpstreamListener listener) {
    return new ZitadelClient(vertx, options, listener);
  }

  /** Sends one call; reads and connect failures are retried within the deadline. */
  Future<UpstreamReply> send(UpstreamCall call);

  /** Streams {@code request} to ZITADEL and its answer back, unchanged but for routing headers. */
  void passThrough(HttpServerRequest request);

  /**
   * Streams the gRPC or gRPC-web call {@code request} to ZITADEL over HTTP/2 and its answer back,
   * trailers included.
   */
  void passThroughGrpc(HttpServerRequest request);

  /** True while the circuit breaker is open and calls are refused without trying. */
  boolean circuitOpen();

  Future<Void> close();
}
