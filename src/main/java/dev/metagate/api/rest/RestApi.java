package dev.metagate.api.rest;

import dev.metagate.api.CallPipeline;
import dev.metagate.api.UpstreamCredentials;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetadataService;
import dev.metagate.metadata.MetagateException;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import dev.metagate.upstream.UpstreamClient;
import dev.metagate.upstream.UpstreamMetadata;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;

/** Builds the REST router of the API port. */
public final class RestApi {
  /** Pre-validated header constants: Vert.x checks plain strings on every response. */
  static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");

  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");
  private static final CharSequence OVERLOADED_RETRY_AFTER =
      HttpHeaders.createOptimized(Long.toString(InFlightLimiter.REFUSED.retryAfterSeconds()));

  /** Vert.x heap buffers are never released by a write, so one instance serves every refusal. */
  private static final Buffer OVERLOADED_BODY =
      Buffer.buffer(ErrorMapper.body(InFlightLimiter.REFUSED).encode());

  private RestApi() {}

  /**
   * Answers a request refused over the in-flight bound: 503, Retry-After and ZITADEL's error body,
   * all built once, so the refusal costs no more than writing them. The body is not read; the
   * connection stays open for the client's next request.
   */
  public static void refuseOverloaded(HttpServerResponse response) {
    response
        .setStatusCode(503)
        .putHeader(CONTENT_TYPE, APPLICATION_JSON)
        .putHeader(RETRY_AFTER, OVERLOADED_RETRY_AFTER)
        .end(OVERLOADED_BODY);
  }

  /**
   * The bound of requests in flight, answering 503 beyond it. One instance is shared by the routers
   * of all event loops, so that the bound holds for the whole port.
   */
  public static InFlightLimiter inFlightLimiter(int maxInFlight) {
    return new InFlightLimiter(maxInFlight, RestApi::overloaded);
  }

  /**
   * The router for the v1 and v2 metadata endpoints, with bodies capped at {@code maxBodySize}
   * bytes (413) and due within {@code bodyDeadline} of the request head (408), every failure
   * rendered by {@link ErrorMapper}, and one access-log line per request when {@code accessLog}
   * ({@code log.access}).
   */
  public static Router router(
      Vertx vertx,
      MetadataService service,
      CallPipeline pipeline,
      long maxBodySize,
      Duration bodyDeadline,
      InFlightLimiter inFlight,
      Metrics metrics,
      boolean accessLog) {
    Router router = common(vertx, inFlight, metrics, accessLog);
    MetadataRoutes routes = new MetadataRoutes(service, new Pipeline(pipeline));
    router
        .route(MetadataRoutes.PREFIX + "*")
        .handler(new BodyDeadline(bodyDeadline))
        .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .handler(routes::dispatch);
    V2Routes v2 = new V2Routes(service, new Pipeline(pipeline));
    router
        .route(V2Routes.PREFIX + "*")
        .handler(new BodyDeadline(bodyDeadline))
        .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .handler(v2::dispatch);
    router.route().handler(ctx -> ctx.fail(404));
    return router;
  }

  /**
   * The router of upstream mode: the six v1 endpoints are validated here and forwarded to ZITADEL;
   * every other request is streamed to it unchanged. Callers act as {@code credentials} say (their
   * own credentials forwarded, or authorized locally and ZITADEL called with the service token).
   */
  public static Router upstreamRouter(
      Vertx vertx,
      UpstreamMetadata metadata,
      UpstreamClient client,
      UpstreamCredentials credentials,
      long maxBodySize,
      Duration bodyDeadline,
      InFlightLimiter inFlight,
      Metrics metrics,
      boolean accessLog) {
    Router router = common(vertx, inFlight, metrics, accessLog);
    UpstreamRoutes routes = new UpstreamRoutes(metadata, client, credentials);
    // separate routes: Vert.x allows a body handler only first on its route
    router.route().handler(routes::claim);
    router.route().handler(new BodyDeadline(bodyDeadline));
    router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
    router.route().handler(routes::dispatch);
    return router;
  }

  /**
   * Upstream mode's REST handler: {@code router} (from {@link #upstreamRouter}) for the metadata
   * endpoints, every other request streamed to ZITADEL without routing ({@link PassThroughFront});
   * with the access log on, the router handles everything, since it writes the log lines.
   */
  public static Handler<HttpServerRequest> upstreamFront(
      Router router,
      UpstreamClient client,
      InFlightLimiter inFlight,
      Metrics metrics,
      boolean accessLog) {
    return accessLog ? router : new PassThroughFront(router, client, inFlight, metrics);
  }

  /**
   * Local mode's REST handler: the {@link #router} with these arguments, except for the hottest
   * calls, answered without routing ({@link LocalFront}); with the access log on, the router
   * handles everything, since it writes the log lines.
   */
  public static Handler<HttpServerRequest> local(
      Vertx vertx,
      MetadataService service,
      CallPipeline pipeline,
      long maxBodySize,
      Duration bodyDeadline,
      InFlightLimiter inFlight,
      Metrics metrics,
      boolean accessLog) {
    Router router =
        router(vertx, service, pipeline, maxBodySize, bodyDeadline, inFlight, metrics, accessLog);
    if (accessLog) {
      return router;
    }
    Pipeline calls = new Pipeline(pipeline);
    return new LocalFront(
        router,
        new MetadataRoutes(service, calls),
        calls,
        maxBodySize,
        bodyDeadline,
        inFlight,
        metrics);
  }

  /** Request ids, metrics, the in-flight bound and the last-resort failure answer. */
  private static Router common(
      Vertx vertx, InFlightLimiter inFlight, Metrics metrics, boolean accessLog) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(new RequestMetrics(metrics, accessLog));
    router.route().handler(inFlight);
    router.route().failureHandler(RestApi::failure);
    router.errorHandler(400, RestApi::unroutable);
    return router;
  }

  /**
   * A request the router itself refused before any route ran, such as a path whose percent-encoding
   * cannot be decoded ({@code /a%zz}); without this Vert.x answers a bare 400.
   */
  private static void unroutable(RoutingContext ctx) {
    ErrorMapper.send(
        ctx.response(), 400, MetagateException.invalidArgument("request path is malformed"));
  }

  private static void overloaded(RoutingContext ctx) {
    ErrorMapper.send(ctx.response(), 503, InFlightLimiter.REFUSED);
  }

  /**
   * Answers a request the HTTP decoder refused (a request line or header block too long, a head it
   * cannot parse) in ZITADEL's error shape instead of Vert.x's empty answer or bare connection
   * close. The statuses are those of Vert.x's default handler; the connection is closed after the
   * answer, since the rest of the stream cannot be trusted.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    MetagateException e = MetagateException.invalidArgument("malformed HTTP request");
    if (cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException) {
      status = cause instanceof TooLongHttpLineException ? 414 : 431;
      e = MetagateException.of(Code.RESOURCE_EXHAUSTED, "request line or headers too long");
    }
    request.response().putHeader("connection", "close");
    ErrorMapper.send(request.response(), status, e);
  }

  static void sendJson(RoutingContext ctx, String json) {
    sendJson(ctx.response(), json);
  }

  /** Ends {@code response} with {@code json}, unless it is already answered or gone. */
  static void sendJson(HttpServerResponse response, String json) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.putHeader(CONTENT_TYPE, APPLICATION_JSON).end(json);
  }

  /** The last resort: whatever failed, the request is answered exactly once. */
  private static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException) {
      return; // the client (or shutdown) closed the connection mid-request: no one to answer
    }
    if (failure != null) {
      RequestMetrics.fail(ctx, failure);
      return;
    }
    int status = ctx.statusCode();
    MetagateException e =
        switch (status) {
          case 413 -> MetagateException.of(Code.RESOURCE_EXHAUSTED, "request body too large");
          case 404 -> MetagateException.of(Code.NOT_FOUND, "Not Found");
          case 405 -> MetagateException.of(Code.UNIMPLEMENTED, "Method Not Allowed");
          case 400 -> MetagateException.invalidArgument("bad request");
          default -> MetagateException.of(Code.INTERNAL, "internal error");
        };
    ErrorMapper.send(
        ctx.response(),
        status == 413 || status == 405 ? status : ErrorMapper.httpStatus(e.code()),
        e);
  }
}
