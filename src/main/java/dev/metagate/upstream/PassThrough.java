package dev.metagate.upstream;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The reverse proxy for every request metagate does not answer itself: method, headers, streamed
 * body, status and trailers go through vertx-http-proxy unchanged, except that the request is
 * addressed to ZITADEL (its host name picks the ZITADEL instance) under the upstream base path and
 * carries metagate's request id. Connecting, and every wait for ZITADEL (its answer, a pause in a
 * streamed body), is bounded by {@code upstream.timeout}. When no answer comes, the caller gets
 * metagate's own error in ZITADEL's shape instead of the proxy's empty 502: 504 code 4 after the
 * timeout, 503 code 14 when ZITADEL cannot be reached.
 */
final class PassThrough implements ProxyInterceptor {
  static final String OPERATION = "passthrough";
  private static final String REQUEST_ID = "x-request-id";
  private static final String FAILED = "metagate.failure";

  private final UpstreamOptions options;
  private final UpstreamListener listener;

  private PassThrough(UpstreamOptions options, UpstreamListener listener) {
    this.options = options;
    this.listener = listener;
  }

  /** A proxy sending each request over a connection of its own event loop ({@link LoopClients}). */
  static HttpProxy create(LoopClients clients, UpstreamOptions options, UpstreamListener listener) {
    long ms = Math.max(1, options.timeout().toMillis());
    SocketAddress zitadel = SocketAddress.inetSocketAddress(options.port(), options.host());
    return HttpProxy.reverseProxy(clients.first())
        .origin(
            ctx ->
                clients
                    .current()
                    .request(
                        new RequestOptions()
                            .setServer(zitadel)
                            .setConnectTimeout(ms)
                            .setIdleTimeout(ms)))
        .addInterceptor(new PassThrough(options, listener));
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
    var request = ctx.request();
    boolean defaultPort = options.port() == (options.tls() ? 443 : 80);
    request.setAuthority(HostAndPort.create(options.host(), defaultPort ? -1 : options.port()));
    request.setURI(options.basePath() + request.getURI());
    // RequestIds put the id (the caller's, or a new one) on the response before routing
    String id = request.proxiedRequest().response().headers().get(REQUEST_ID);
    if (id != null) {
      request.headers().set(REQUEST_ID, id);
    }
    return ctx.sendRequest().recover(t -> Future.succeededFuture(noAnswer(ctx, t)));
  }

  /** metagate's answer when ZITADEL gave none, in ZITADEL's error shape. */
  private static ProxyResponse noAnswer(ProxyContext ctx, Throwable t) {
    MetagateException e = Failures.toCaller(t, 1);
    ctx.set(FAILED, Failures.outcome(t));
    boolean late = e.code() == Code.DEADLINE_EXCEEDED;
    Buffer body =
        new JsonObject().put("code", e.code().number()).put("message", e.getMessage()).toBuffer();
    ProxyResponse r = ctx.request().response().setStatusCode(late ? 504 : 503);
    r.headers().clear();
    return r.setBody(Body.body(body, MediaType.APPLICATION_JSON));
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext ctx) {
    // the answer already carries metagate's id; ZITADEL's echo would duplicate it
    ctx.response().headers().remove(REQUEST_ID);
    String failed = ctx.get(FAILED, String.class);
    listener.outcome(
        OPERATION, failed != null ? failed : Failures.outcome(ctx.response().getStatusCode()));
    return ctx.sendResponse();
  }
}
