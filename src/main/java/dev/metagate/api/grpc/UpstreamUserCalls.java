package dev.metagate.api.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.zitadel.user.v2.DeleteUserMetadataRequest;
import com.zitadel.user.v2.DeleteUserMetadataResponse;
import com.zitadel.user.v2.ListUserMetadataRequest;
import com.zitadel.user.v2.ListUserMetadataResponse;
import com.zitadel.user.v2.SetUserMetadataRequest;
import com.zitadel.user.v2.SetUserMetadataResponse;
import com.zitadel.user.v2.UserServiceGrpcService;
import dev.metagate.api.UpstreamCredentials;
import dev.metagate.api.V2Rules;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetagateException;
import dev.metagate.upstream.UpstreamMetadata;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;

/**
 * The three v2 {@code zitadel.user.v2.UserService} metadata methods in upstream mode, as their REST
 * twins: the message is parsed, the credential established, the field rules ({@link V2Rules}) run
 * before anything is sent, and the call goes to ZITADEL's v2 REST endpoint through {@link
 * UpstreamMetadata} (a write drops the user's cached snapshots). ZITADEL's JSON answer becomes the
 * response, its error a status.
 */
final class UpstreamUserCalls extends UserMethods {
  private final UpstreamMetadata metadata;
  private final UpstreamCredentials credentials;

  UpstreamUserCalls(UpstreamMetadata metadata, UpstreamCredentials credentials, Unary unary) {
    super(unary);
    this.metadata = metadata;
    this.credentials = credentials;
  }

  /** The request paths ({@code /service/method}) of the methods this class answers. */
  static Set<String> paths() {
    String service = "/" + UserServiceGrpcService.SERVICE_NAME.fullyQualifiedName() + "/";
    return Set.of(
        service + UserServiceGrpcService.SetUserMetadata.methodName(),
        service + UserServiceGrpcService.ListUserMetadata.methodName(),
        service + UserServiceGrpcService.DeleteUserMetadata.methodName());
  }

  @Override
  Future<SetUserMetadataResponse> set(SetUserMetadataRequest req, Call call) {
    List<KeyValue> entries = UserCalls.entries(req);
    return UpstreamManagementCalls.forward(
        call,
        credentials,
        Action.WRITE,
        req.getUserId(),
        as -> {
          V2Rules.set(req.getUserId(), entries);
          return metadata.setV2(as, req.getUserId(), entries);
        },
        SetUserMetadataResponse::newBuilder);
  }

  @Override
  Future<ListUserMetadataResponse> list(ListUserMetadataRequest req, Call call) {
    var page = UserCalls.page(req);
    var filters = UserCalls.filters(req);
    return UpstreamManagementCalls.forward(
        call,
        credentials,
        Action.READ,
        req.getUserId(),
        as -> {
          V2Rules.list(req.getUserId(), page, filters);
          return metadata.listV2(as, req.getUserId(), restBody(req));
        },
        ListUserMetadataResponse::newBuilder);
  }

  @Override
  Future<DeleteUserMetadataResponse> delete(DeleteUserMetadataRequest req, Call call) {
    List<String> keys = List.copyOf(req.getKeysList());
    return UpstreamManagementCalls.forward(
        call,
        credentials,
        Action.WRITE,
        req.getUserId(),
        as -> {
          V2Rules.delete(req.getUserId(), keys);
          return metadata.deleteV2(as, req.getUserId(), keys);
        },
        DeleteUserMetadataResponse::newBuilder);
  }

  /**
   * The list request as ZITADEL's REST gateway takes it: its JSON form, the user id in the path.
   */
  private static Buffer restBody(ListUserMetadataRequest req) {
    try {
      return Buffer.buffer(JsonFormat.printer().print(req.toBuilder().clearUserId().build()));
    } catch (InvalidProtocolBufferException e) {
      throw MetagateException.invalidArgument("request could not be encoded as JSON");
    }
  }
}
