package dev.metagate.api.rest;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Local mode's REST entry. The three hottest v1 calls, GetUserMetadata without a body and
 * SetUserMetadata or BulkSetUserMetadata with a small body of announced length, are answered from
 * here without a routing context: the router's per-request work (a context, route matching, the
 * handler chain, a body handler) was about 6 of the 40 µs of event-loop time of a cached GET
 * (bench/results/2026-11-28-session5.md). Each still gets what the router gives every request: its
 * id echoed, an in-flight slot held until its response ends or its connection closes, its body due
 * within the body deadline ({@link BodyDeadline}), errors in ZITADEL's shape in the same order of
 * checks, and its count and duration in {@code metagate_requests_total}.
 *
 * <p>Everything else goes to the router: other calls, a GET that announces a body, a body sent
 * chunked, without a length, with a content type other than JSON, over {@value #SMALL_BODY} bytes
 * or over the body limit (the router answers 413), a client waiting for 100 Continue, and every
 * request while the access log is on (the router writes its lines).
 */
final class LocalFront implements Handler<HttpServerRequest> {
  /** The largest body read here; a longer one is rare and goes to the router. */
  static final int SMALL_BODY = 64 * 1024;

  private static final CharSequence CONTENT_LENGTH = HttpHeaders.createOptimized("content-length");
  private static final CharSequence TRANSFER_ENCODING =
      HttpHeaders.createOptimized("transfer-encoding");
  private static final CharSequence EXPECT = HttpHeaders.createOptimized("expect");
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");

  private final Router router;
  private final MetadataRoutes routes;
  private final Pipeline pipeline;
  private final InFlightLimiter inFlight;
  private final Metrics metrics;
  private final long bodyCap;
  private final long deadlineMillis;
  private final RequestIds ids = new RequestIds();

  LocalFront(
      Router router,
      MetadataRoutes routes,
      Pipeline pipeline,
      long maxBodySize,
      Duration bodyDeadline,
      InFlightLimiter inFlight,
      Metrics metrics) {
    this.router = router;
    this.routes = routes;
    this.pipeline = pipeline;
    this.bodyCap = Math.min(SMALL_BODY, maxBodySize);
    this.deadlineMillis = Math.max(1, bodyDeadline.toMillis());
    this.inFlight = inFlight;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    V1Call call = served(request);
    if (call == null || !inFlight.tryAcquire()) {
      router.handle(request);
      return;
    }
    Exchange exchange = new Exchange(request, call);
    if (call.op() == V1Call.Op.GetUserMetadata) {
      exchange.run(routes.get(call.key()));
    } else {
      exchange.readBody();
    }
  }

  /** The call if it is one served here, else null. */
  private V1Call served(HttpServerRequest request) {
    HttpMethod method = request.method();
    if (method != HttpMethod.GET && method != HttpMethod.POST) {
      return null;
    }
    V1Call call = V1Call.match(method, request.path());
    if (call == null || request.headers().contains(TRANSFER_ENCODING)) {
      return null;
    }
    String length = request.getHeader(CONTENT_LENGTH);
    if (call.op() == V1Call.Op.GetUserMetadata) {
      return length == null ? call : null;
    }
    boolean write =
        call.op() == V1Call.Op.SetUserMetadata || call.op() == V1Call.Op.BulkSetUserMetadata;
    if (!write || length == null || request.headers().contains(EXPECT) || !json(request)) {
      return null;
    }
    long n = parseLength(length);
    return n >= 0 && n <= bodyCap ? call : null;
  }

  /**
   * Whether the body is plain JSON (no content type, or {@code application/json}): the router's
   * body handler decodes form and multipart bodies, which the router must keep answering.
   */
  private static boolean json(HttpServerRequest request) {
    String type = request.getHeader(CONTENT_TYPE);
    return type == null || type.regionMatches(true, 0, "application/json", 0, 16);
  }

  /** A content length of up to 9 digits; -1 for anything else (the router judges it). */
  private static long parseLength(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** One call: read its body if it has one, run it, answer. */
  private final class Exchange {
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final V1Call call;
    private final RouterlessCall slot;

    Exchange(HttpServerRequest request, V1Call call) {
      this.request = request;
      this.response = request.response();
      this.call = call;
      this.slot = new RouterlessCall(request, ids, call.op().name(), inFlight, metrics);
    }

    /** Reads the body, then runs the write it asks for; the body is due within the deadline. */
    void readBody() {
      BodyDeadline.watch(
          Vertx.currentContext().owner(),
          request,
          response,
          deadlineMillis,
          () -> slot.code(Code.DEADLINE_EXCEEDED.number()),
          slot::atEnd);
      request
          .body()
          .onSuccess(this::write)
          .onFailure(e -> {}); // the connection closed: no one to answer; close frees the slot
    }

    private void write(Buffer body) {
      Function<UserRef, CompletionStage<String>> operation;
      try {
        operation =
            call.op() == V1Call.Op.SetUserMetadata
                ? routes.set(call.key(), body)
                : routes.bulkSet(body);
      } catch (RuntimeException invalid) {
        fail(invalid);
        return;
      }
      run(operation);
    }

    void run(Function<UserRef, CompletionStage<String>> operation) {
      pipeline
          .run(request, call.op().action, call.userId(), operation)
          .onSuccess(json -> RestApi.sendJson(response, json))
          .onFailure(this::fail);
    }

    /** As the router's failure handling: normalized (a bug logged with the request id), sent. */
    private void fail(Throwable failure) {
      MetagateException e = RequestMetrics.normalize(failure, slot.id());
      slot.code(e.code().number());
      ErrorMapper.send(response, e);
    }
  }
}
