package dev.metagate.upstream;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The reverse proxy for every request metagate does not answer itself: method, headers, streamed
 * body, status and trailers go through vertx-http-proxy unchanged, except that the request is
 * addressed to ZITADEL (its host name picks the ZITADEL instance) under the upstream base path and
 * carries metagate's request id.
 */
final class PassThrough implements ProxyInterceptor {
  static final String OPERATION = "passthrough";
  private static final String REQUEST_ID = "x-request-id";

  private final UpstreamOptions options;
  private final UpstreamListener listener;

  private PassThrough(UpstreamOptions options, UpstreamListener listener) {
    this.options = options;
    this.listener = listener;
  }

  static HttpProxy create(HttpClient client, UpstreamOptions options, UpstreamListener listener) {
    return HttpProxy.reverseProxy(client)
        .origin(options.port(), options.host())
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
    return ctx.sendRequest();
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext ctx) {
    // the answer already carries metagate's id; ZITADEL's echo would duplicate it
    ctx.response().headers().remove(REQUEST_ID);
    listener.outcome(OPERATION, Failures.outcome(ctx.response().getStatusCode()));
    return ctx.sendResponse();
  }
}
