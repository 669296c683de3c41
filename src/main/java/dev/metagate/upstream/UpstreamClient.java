package dev.metagate.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The connection to ZITADEL: a bounded keep-alive pool (HTTP/2 where TLS negotiates it) for
 * metagate's own calls, with a deadline, retries and a circuit breaker, and per event loop pools of
 * the same bound in all for the pass-through of every request metagate does not handle itself.
 * Failures of the call itself (timeout, unreachable, circuit open) fail the future with a {@link
 * dev.metagate.metadata.MetagateException}; any answer ZITADEL gives, error or not, is a reply.
 */
public interface UpstreamClient {
  /**
   * A client for {@code options}; {@code eventLoops} is how many event loops pass requests through
   * (the API verticle instances), each of which gets its own share of the connection bound.
   */
  static UpstreamClient create(
      Vertx vertx, UpstreamOptions options, int eventLoops, UpstreamListener listener) {
    return new ZitadelClient(vertx, options, eventLoops, listener);
  }

  /** Sends one call; reads and connect failures are retried within the deadline. */
  Future<UpstreamReply> send(UpstreamCall call);

  /**
   * Streams {@code request} to ZITADEL and its answer back, unchanged but for routing headers; the
   * returned action cancels the upstream request (for a caller that went away).
   */
  Runnable passThrough(HttpServerRequest request);

  /**
   * Streams the gRPC or gRPC-web call {@code request} to ZITADEL over HTTP/2 and its answer back,
   * trailers included, with {@code requestId} as its {@code x-request-id} both ways.
   */
  void passThroughGrpc(HttpServerRequest request, String requestId);

  /** True while the circuit breaker is open and calls are refused without trying. */
  boolean circuitOpen();

  Future<Void> close();
}
