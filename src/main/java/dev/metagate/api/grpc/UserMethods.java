package dev.metagate.api.grpc;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.zitadel.user.v2.DeleteUserMetadataRequest;
import com.zitadel.user.v2.DeleteUserMetadataResponse;
import com.zitadel.user.v2.ListUserMetadataRequest;
import com.zitadel.user.v2.ListUserMetadataResponse;
import com.zitadel.user.v2.SetUserMetadataRequest;
import com.zitadel.user.v2.SetUserMetadataResponse;
import com.zitadel.user.v2.UserServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;

/**
 * The three user-metadata methods of {@code zitadel.user.v2.UserService}, bound to a gRPC server;
 * local mode and upstream mode each supply the method bodies. Any other method of the service is
 * UNIMPLEMENTED in local mode.
 */
abstract class UserMethods implements Service {
  final Unary unary;

  UserMethods(Unary unary) {
    this.unary = unary;
  }

  @Override
  public ServiceName name() {
    return UserServiceGrpcService.SERVICE_NAME;
  }

  @Override
  public ServiceDescriptor descriptor() {
    return UserServiceGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    unary.bind(server, UserServiceGrpcService.SetUserMetadata, this::set);
    unary.bind(server, UserServiceGrpcService.ListUserMetadata, this::list);
    unary.bind(server, UserServiceGrpcService.DeleteUserMetadata, this::delete);
  }

  abstract Future<SetUserMetadataResponse> set(SetUserMetadataRequest req, Call call);

  abstract Future<ListUserMetadataResponse> list(ListUserMetadataRequest req, Call call);

  abstract Future<DeleteUserMetadataResponse> delete(DeleteUserMetadataRequest req, Call call);
}
