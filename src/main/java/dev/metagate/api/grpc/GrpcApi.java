package dev.metagate.api.grpc;

import com.zitadel.management.v1.ManagementProto;
import com.zitadel.user.v2.UserServiceProto;
import dev.metagate.api.CallPipeline;
import dev.metagate.api.UpstreamCredentials;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetadataService;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.ops.RequestIds;
import dev.metagate.upstream.UpstreamClient;
import dev.metagate.upstream.UpstreamMetadata;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.health.v1.HealthProto;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Builds the gRPC side of the API port: ZITADEL's user-metadata methods (gRPC over HTTP/2, gRPC-web
 * binary and text over HTTP/1.1 and HTTP/2), {@code grpc.health.v1.Health} and server reflection.
 * The HTTP server hands it every request whose content type starts with {@code application/grpc}.
 */
public final class GrpcApi {
  private static final String GRPC_CONTENT_TYPE = "application/grpc";

  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence GRPC_STATUS = HttpHeaders.createOptimized("grpc-status");
  private static final CharSequence GRPC_MESSAGE = HttpHeaders.createOptimized("grpc-message");
  private static final CharSequence UNAVAILABLE =
      HttpHeaders.createOptimized(Integer.toString(Code.UNAVAILABLE.number()));
  private static final CharSequence OVERLOADED_MESSAGE =
      HttpHeaders.createOptimized(StatusMapper.percentEncode(InFlightLimiter.REFUSED.getMessage()));

  private GrpcApi() {}

  /**
   * Answers a gRPC or gRPC-web call refused over the in-flight bound with UNAVAILABLE, as a
   * trailers-only response (HTTP 200 whose headers carry {@code grpc-status}, no message), built
   * from constants: the call's message is not read and the gRPC server never sees the call.
   */
  public static void refuseOverloaded(HttpServerRequest request) {
    String type = request.getHeader(CONTENT_TYPE);
    request
        .response()
        .putHeader(CONTENT_TYPE, type)
        .putHeader(GRPC_STATUS, UNAVAILABLE)
        .putHeader(GRPC_MESSAGE, OVERLOADED_MESSAGE)
        .end();
  }

  /** The protocol label of a gRPC request in the metrics: grpc or grpc-web. */
  public static String protocolOf(String contentType) {
    return contentType != null && contentType.startsWith("application/grpc-web")
        ? "grpc-web"
        : "grpc";
  }

  /** True for a request that belongs to the gRPC server rather than the REST router. */
  public static boolean isGrpc(HttpServerRequest request) {
    String type = request.getHeader(CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, GRPC_CONTENT_TYPE, 0, 16);
  }

  /**
   * Initializes the protobuf descriptors of every served service on the calling thread. Their
   * static initializers take a second or more on a cold, busy JVM, which must not happen on an
   * event loop when the first API verticle builds its gRPC server.
   */
  public static void loadDescriptors() {
    ManagementProto.getDescriptor();
    UserServiceProto.getDescriptor();
    HealthProto.getDescriptor();
    ServerReflectionProto.getDescriptor();
  }

  /**
   * The gRPC side of the API port in upstream mode: the six v1 ManagementService metadata methods
   * and the three v2 UserService ones are answered through {@code metadata} exactly as their REST
   * twins (validation, credentials, cache and coalescing for v1, ZITADEL's errors as statuses);
   * every other gRPC or gRPC-web call, of any service, is streamed to ZITADEL with its trailers by
   * {@code client}.
   */
  public static Handler<HttpServerRequest> upstream(
      Vertx vertx,
      UpstreamMetadata metadata,
      UpstreamClient client,
      UpstreamCredentials credentials,
      long maxMessageSize,
      InFlightLimiter inFlight,
      Metrics metrics) {
    Unary unary = new Unary(null, inFlight, metrics);
    GrpcServer server =
        GrpcServer.server(vertx, options(maxMessageSize))
            .addService(new UpstreamManagementCalls(metadata, credentials, unary))
            .addService(new UpstreamUserCalls(metadata, credentials, unary));
    Set<String> answered = new HashSet<>(UpstreamManagementCalls.paths());
    answered.addAll(UpstreamUserCalls.paths());
    RequestIds ids = new RequestIds();
    return request -> {
      if (answered.contains(request.path())) {
        server.handle(request);
      } else {
        client.passThroughGrpc(request, ids.idFor(request.getHeader(RequestIds.HEADER)));
      }
    };
  }

  private static GrpcServerOptions options(long maxMessageSize) {
    return new GrpcServerOptions()
        // JSON transcoding would answer REST paths in gRPC-gateway's shape, not ZITADEL's
        .removeEnabledProtocol(GrpcProtocol.TRANSCODING)
        .setMaxMessageSize(maxMessageSize)
        .setScheduleDeadlineAutomatically(true);
  }

  /**
   * A gRPC server over {@code service}; calls share REST's pipeline and in-flight bound, messages
   * are capped at {@code maxMessageSize} bytes (RESOURCE_EXHAUSTED), a client's {@code
   * grpc-timeout} is honoured (DEADLINE_EXCEEDED), and health reports {@code serving}.
   */
  public static GrpcServer server(
      Vertx vertx,
      MetadataService service,
      CallPipeline pipeline,
      long maxMessageSize,
      InFlightLimiter inFlight,
      Metrics metrics,
      BooleanSupplier serving) {
    GrpcServer server = GrpcServer.server(vertx, options(maxMessageSize));
    Unary unary = new Unary(pipeline, inFlight, metrics);
    ManagementCalls management = new ManagementCalls(service, unary);
    UserCalls users = new UserCalls(service, unary);
    HealthService health = HealthService.create(vertx);
    health.register(management.name(), () -> Future.succeededFuture(serving.getAsBoolean()));
    health.register(users.name(), () -> Future.succeededFuture(serving.getAsBoolean()));
    return server
        .addService(management)
        .addService(users)
        .addService(health)
        .addService(ReflectionService.v1());
  }
}
