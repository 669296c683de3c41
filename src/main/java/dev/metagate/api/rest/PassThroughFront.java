package dev.metagate.api.rest;

import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import dev.metagate.upstream.UpstreamClient;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

/**
 * Upstream mode's REST entry. A request for one of the six v1 or three v2 metadata endpoints goes
 * to the router; any other request is streamed to ZITADEL from here, without a routing context,
 * since a pass-through is most of a sidecar's traffic and the router's per-request work (route
 * matching, a context, handler chains) was a large share of its cost. It still gets what the router
 * gives every request: its id echoed (and forwarded), an in-flight slot held until its response
 * ends or its connection closes, and its count and duration in {@code metagate_requests_total} as
 * operation "other". When no slot is free the router answers, as it answers every refusal.
 */
final class PassThroughFront implements Handler<HttpServerRequest> {
  private static final String OTHER = "other";

  private final Router router;
  private final UpstreamClient client;
  private final InFlightLimiter inFlight;
  private final Metrics metrics;
  private final RequestIds ids = new RequestIds();

  PassThroughFront(
      Router router, UpstreamClient client, InFlightLimiter inFlight, Metrics metrics) {
    this.router = router;
    this.client = client;
    this.inFlight = inFlight;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (V1Call.match(request.method(), request.path()) != null
        || V2Call.match(request.method(), request.path()) != null
        || !inFlight.tryAcquire()) {
      router.handle(request);
      return;
    }
    RouterlessCall call = new RouterlessCall(request, ids, OTHER, inFlight, metrics);
    Runnable cancel = client.passThrough(request);
    HttpServerResponse response = request.response();
    call.atEnd(
        () -> {
          if (!response.ended()) {
            cancel.run(); // the caller went away: ZITADEL's side stops too
          }
        });
  }
}
