package dev.metagate.api.rest;

import dev.metagate.api.CallPipeline;
import dev.metagate.metadata.MetadataService;
import dev.metagate.metadata.MetagateException;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Logging;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import org.slf4j.MDC;

/**
 * Local mode's REST entry. A v1 GetUserMetadata without a body, the hottest call, is answered from
 * here without a routing context: the router's per-request work (a context, route matching, the
 * handler chain, a body handler for a request that has no body) was about 6 of its 40 µs of event
 * loop time (bench/results/2026-11-28-session5.md). It gets what the router gives every request:
 * its id echoed, an in-flight slot held until its response ends or its connection closes, errors in
 * ZITADEL's shape, and its count and duration in {@code metagate_requests_total}. Every other
 * request, and every request while the access log is on (the router writes its lines), goes to the
 * router. A GET that announces a body goes there too, so its body is read and bounded as before.
 */
final class LocalFront implements Handler<HttpServerRequest> {
  private static final CharSequence CONTENT_LENGTH = HttpHeaders.createOptimized("content-length");
  private static final CharSequence TRANSFER_ENCODING =
      HttpHeaders.createOptimized("transfer-encoding");

  private final Router router;
  private final MetadataService service;
  private final CallPipeline calls;
  private final InFlightLimiter inFlight;
  private final Metrics metrics;
  private final RequestIds ids = new RequestIds();

  LocalFront(
      Router router,
      MetadataService service,
      CallPipeline calls,
      InFlightLimiter inFlight,
      Metrics metrics) {
    this.router = router;
    this.service = service;
    this.calls = calls;
    this.inFlight = inFlight;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    V1Call call;
    if (request.method() != HttpMethod.GET
        || request.headers().contains(CONTENT_LENGTH)
        || request.headers().contains(TRANSFER_ENCODING)
        || (call = V1Call.match(request.method(), request.path())) == null
        || call.op() != V1Call.Op.GetUserMetadata
        || !inFlight.tryAcquire()) {
      router.handle(request);
      return;
    }
    long started = System.nanoTime();
    HttpServerResponse response = request.response();
    String id = ids.echo(request, response);
    Exchange exchange = new Exchange(response, started);
    response.endHandler(v -> exchange.finish());
    response.closeHandler(v -> exchange.finish());
    calls
        .run(
            Vertx.currentContext(),
            request.getHeader("authorization"),
            request.getHeader(Pipeline.ORG_HEADER),
            call.op().action,
            call.userId(),
            u -> service.get(u, call.key()).thenApply(e -> Json.metadata(e, u.orgId())))
        .onSuccess(
            json -> {
              if (!response.ended() && !response.closed()) {
                response.putHeader(RestApi.CONTENT_TYPE, RestApi.APPLICATION_JSON).end(json);
              }
            })
        .onFailure(
            failure -> {
              MDC.put(Logging.REQUEST_ID, id);
              MetagateException e;
              try {
                e = ErrorMapper.normalize(failure);
              } finally {
                MDC.remove(Logging.REQUEST_ID);
              }
              exchange.code = e.code().number();
              if (!response.ended() && !response.closed()) {
                ErrorMapper.send(response, e);
              }
            });
  }

  /** One call's slot and metrics, released and recorded once: at its end or its close. */
  private final class Exchange {
    private final HttpServerResponse response;
    private final long started;
    private boolean done;
    private Integer code; // the failure's gRPC code; null: from the status

    Exchange(HttpServerResponse response, long started) {
      this.response = response;
      this.started = started;
    }

    void finish() {
      if (!done) {
        done = true;
        inFlight.release();
        int c = code != null ? code : RequestMetrics.codeOf(response.getStatusCode());
        metrics.request("GetUserMetadata", "rest", c, System.nanoTime() - started);
      }
    }
  }
}
