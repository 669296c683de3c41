package dev.metagate.api.grpc;

import com.google.protobuf.Message;
import com.zitadel.management.v1.BulkRemoveUserMetadataRequest;
import com.zitadel.management.v1.BulkRemoveUserMetadataResponse;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.BulkSetUserMetadataResponse;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataResponse;
import com.zitadel.management.v1.ListUserMetadataRequest;
import com.zitadel.management.v1.ListUserMetadataResponse;
import com.zitadel.management.v1.ManagementServiceGrpcService;
import com.zitadel.management.v1.RemoveUserMetadataRequest;
import com.zitadel.management.v1.RemoveUserMetadataResponse;
import com.zitadel.management.v1.SetUserMetadataRequest;
import com.zitadel.management.v1.SetUserMetadataResponse;
import dev.metagate.api.UpstreamCredentials;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.upstream.Credential;
import dev.metagate.upstream.ReadAnswer;
import dev.metagate.upstream.UpstreamMetadata;
import dev.metagate.upstream.UpstreamReply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The six v1 user-metadata methods of {@code zitadel.management.v1.ManagementService} in upstream
 * mode: the same path as their REST twins ({@link dev.metagate.api.rest}'s upstream routes). The
 * message is parsed, the credential established by {@link UpstreamCredentials}, and {@link
 * UpstreamMetadata} validates (no upstream call for a request that breaks a rule), answers reads
 * from its per-user cache and coalesces writes. ZITADEL's REST reply becomes the gRPC answer: a
 * success body is parsed into the method's response (ZITADEL's REST JSON is the same message's JSON
 * form), an error goes through {@link StatusMapper#fromUpstream}.
 */
final class UpstreamManagementCalls extends ManagementMethods {
  private final UpstreamMetadata metadata;
  private final UpstreamCredentials credentials;

  UpstreamManagementCalls(UpstreamMetadata metadata, UpstreamCredentials credentials, Unary unary) {
    super(unary);
    this.metadata = metadata;
    this.credentials = credentials;
  }

  /** The request paths ({@code /service/method}) of the methods this class answers. */
  static Set<String> paths() {
    return Set.of(
        path(ManagementServiceGrpcService.BulkSetUserMetadata),
        path(ManagementServiceGrpcService.SetUserMetadata),
        path(ManagementServiceGrpcService.GetUserMetadata),
        path(ManagementServiceGrpcService.ListUserMetadata),
        path(ManagementServiceGrpcService.RemoveUserMetadata),
        path(ManagementServiceGrpcService.BulkRemoveUserMetadata));
  }

  private static String path(ServiceMethod<?, ?> method) {
    return "/" + method.serviceName().fullyQualifiedName() + "/" + method.methodName();
  }

  @Override
  Future<BulkSetUserMetadataResponse> bulkSet(BulkSetUserMetadataRequest req, Call call) {
    List<KeyValue> entries = entries(req);
    return write(
        call,
        req.getId(),
        as -> metadata.bulkSet(as, req.getId(), entries),
        BulkSetUserMetadataResponse::newBuilder);
  }

  @Override
  Future<SetUserMetadataResponse> set(SetUserMetadataRequest req, Call call) {
    byte[] value = req.getValue().toByteArray();
    return write(
        call,
        req.getId(),
        as -> metadata.set(as, req.getId(), req.getKey(), value),
        SetUserMetadataResponse::newBuilder);
  }

  @Override
  Future<GetUserMetadataResponse> get(GetUserMetadataRequest req, Call call) {
    return read(
        call,
        req.getId(),
        as -> metadata.get(as, req.getId(), req.getKey()),
        (e, owner) ->
            GetUserMetadataResponse.newBuilder().setMetadata(Protos.v1(e, owner)).build());
  }

  @Override
  Future<ListUserMetadataResponse> list(ListUserMetadataRequest req, Call call) {
    var page = page(req);
    List<KeyQuery> queries = keyQueries(req);
    return read(
        call,
        req.getId(),
        as -> metadata.list(as, req.getId(), page, queries),
        (p, owner) -> {
          var b = ListUserMetadataResponse.newBuilder().setDetails(Protos.listDetails(p));
          p.result().forEach(e -> b.addResult(Protos.v1(e, owner)));
          return b.build();
        });
  }

  @Override
  Future<RemoveUserMetadataResponse> remove(RemoveUserMetadataRequest req, Call call) {
    return write(
        call,
        req.getId(),
        as -> metadata.remove(as, req.getId(), req.getKey()),
        RemoveUserMetadataResponse::newBuilder);
  }

  @Override
  Future<BulkRemoveUserMetadataResponse> bulkRemove(BulkRemoveUserMetadataRequest req, Call call) {
    List<String> keys = List.copyOf(req.getKeysList());
    return write(
        call,
        req.getId(),
        as -> metadata.bulkRemove(as, req.getId(), keys),
        BulkRemoveUserMetadataResponse::newBuilder);
  }

  /** A write: ZITADEL's success body parsed into the response, or its error as a status. */
  private <R extends Message> Future<R> write(
      Call call,
      String userId,
      Function<Credential, Future<UpstreamReply>> operation,
      Supplier<? extends Message.Builder> response) {
    return forward(call, credentials, Action.WRITE, userId, operation, response);
  }

  /**
   * {@code operation} as the credential {@code credentials} establish for {@code action} on {@code
   * userId}; ZITADEL's success body parsed into the response, its error as a status, answered on
   * the caller's context. The v1 writes and the v2 methods all end this way.
   */
  @SuppressWarnings("unchecked")
  static <R extends Message> Future<R> forward(
      Call call,
      UpstreamCredentials credentials,
      Action action,
      String userId,
      Function<Credential, Future<UpstreamReply>> operation,
      Supplier<? extends Message.Builder> response) {
    return onCallersContext(
        call.credential(credentials, action, userId)
            .compose(operation::apply)
            .map(reply -> (R) StatusMapper.fromUpstream(reply, response.get())));
  }

  /** A read: the cached (or freshly listed) value rendered, or ZITADEL's refusal as a status. */
  private <T, R> Future<R> read(
      Call call,
      String userId,
      Function<Credential, Future<ReadAnswer<T>>> operation,
      BiFunction<T, String, R> render) {
    return onCallersContext(
        call.credential(credentials, Action.READ, userId)
            .compose(operation::apply)
            .map(
                a -> {
                  if (a.refusal() != null) {
                    throw StatusMapper.fromUpstream(a.refusal());
                  }
                  return render.apply(a.value(), a.resourceOwner());
                }));
  }

  /** A shared upstream call may complete on another request's event loop: answer on ours. */
  private static <R> Future<R> onCallersContext(Future<R> result) {
    Context here = Vertx.currentContext();
    if (here == null) {
      return result;
    }
    Promise<R> promise = Promise.promise();
    result.onComplete(
        ar -> {
          if (Vertx.currentContext() == here) {
            promise.handle(ar);
          } else {
            here.runOnContext(x -> promise.handle(ar));
          }
        });
    return promise.future();
  }
}
