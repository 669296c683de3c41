package dev.metagate.api.grpc;

import com.google.protobuf.Descriptors.ServiceDescriptor;
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
import com.zitadel.metadata.v1.MetadataQuery;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * The six v1 user-metadata methods of {@code zitadel.management.v1.ManagementService}, bound to a
 * gRPC server; local mode and upstream mode each supply the method bodies.
 */
abstract class ManagementMethods implements Service {
  final Unary unary;

  ManagementMethods(Unary unary) {
    this.unary = unary;
  }

  @Override
  public ServiceName name() {
    return ManagementServiceGrpcService.SERVICE_NAME;
  }

  @Override
  public ServiceDescriptor descriptor() {
    return ManagementServiceGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    unary.bind(server, ManagementServiceGrpcService.BulkSetUserMetadata, this::bulkSet);
    unary.bind(server, ManagementServiceGrpcService.SetUserMetadata, this::set);
    unary.bind(server, ManagementServiceGrpcService.GetUserMetadata, this::get);
    unary.bind(server, ManagementServiceGrpcService.ListUserMetadata, this::list);
    unary.bind(server, ManagementServiceGrpcService.RemoveUserMetadata, this::remove);
    unary.bind(server, ManagementServiceGrpcService.BulkRemoveUserMetadata, this::bulkRemove);
  }

  /** The entries of a bulk set, in request order. */
  static List<KeyValue> entries(BulkSetUserMetadataRequest req) {
    List<KeyValue> entries = new ArrayList<>(req.getMetadataCount());
    for (BulkSetUserMetadataRequest.Metadata m : req.getMetadataList()) {
      entries.add(new KeyValue(m.getKey(), m.getValue().toByteArray()));
    }
    return entries;
  }

  /** The paging of a list request. */
  static ListQuery page(ListUserMetadataRequest req) {
    return Protos.listQuery(
        req.getQuery().getOffset(), req.getQuery().getLimit(), req.getQuery().getAsc());
  }

  /** The key queries of a list request, ANDed. */
  static List<KeyQuery> keyQueries(ListUserMetadataRequest req) {
    List<KeyQuery> queries = new ArrayList<>();
    for (MetadataQuery q : req.getQueriesList()) {
      if (q.hasKeyQuery()) {
        // a query without a known kind matches everything, as an unset oneof does
        queries.add(
            Protos.keyQuery(
                q.getKeyQuery().getKey(),
                q.getKeyQuery().getMethodValue(),
                "zitadel.v1.TextQueryMethod"));
      }
    }
    return queries;
  }

  abstract Future<BulkSetUserMetadataResponse> bulkSet(BulkSetUserMetadataRequest req, Call call);

  abstract Future<SetUserMetadataResponse> set(SetUserMetadataRequest req, Call call);

  abstract Future<GetUserMetadataResponse> get(GetUserMetadataRequest req, Call call);

  abstract Future<ListUserMetadataResponse> list(ListUserMetadataRequest req, Call call);

  abstract Future<RemoveUserMetadataResponse> remove(RemoveUserMetadataRequest req, Call call);

  abstract Future<BulkRemoveUserMetadataResponse> bulkRemove(
      BulkRemoveUserMetadataRequest req, Call call);
}
