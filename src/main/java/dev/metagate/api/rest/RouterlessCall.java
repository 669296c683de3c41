package dev.metagate.api.rest;

import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A request answered without the router ({@link LocalFront}, {@link PassThroughFront}) gets by hand
 * what the router gives every request: its id echoed, and, when its response ends or its connection
 * closes (whichever comes first, once), its in-flight slot released and its count and duration
 * recorded in {@code metagate_requests_total}. The slot must already be held.
 */
final class RouterlessCall {
  private final HttpServerResponse response;
  private final InFlightLimiter inFlight;
  private final Metrics metrics;
  private final String operation;
  private final long started = System.nanoTime();
  private final String id;
  private Integer code; // a failure's gRPC code; null: from the status
  private Runnable atEnd;
  private boolean done;

  RouterlessCall(
      HttpServerRequest request,
      RequestIds ids,
      String operation,
      InFlightLimiter inFlight,
      Metrics metrics) {
    this.response = request.response();
    this.inFlight = inFlight;
    this.metrics = metrics;
    this.operation = operation;
    this.id = ids.echo(request, response);
    // Vert.x calls both when the connection closes first: the end handler, then this one
    response.endHandler(v -> finish());
    response.closeHandler(v -> finish());
  }

  /** The request's id, as echoed. */
  String id() {
    return id;
  }

  /** Records {@code grpcCode} as the call's outcome instead of the one its status stands for. */
  void code(int grpcCode) {
    code = grpcCode;
  }

  /** Runs {@code action} when the call ends, before its slot is released (one action per call). */
  void atEnd(Runnable action) {
    atEnd = action;
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (atEnd != null) {
      atEnd.run();
    }
    inFlight.release();
    int c = code != null ? code : RequestMetrics.codeOf(response.getStatusCode());
    metrics.request(operation, "rest", c, System.nanoTime() - started);
  }
}
