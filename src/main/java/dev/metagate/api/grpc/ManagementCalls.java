package dev.metagate.api.grpc;

import com.zitadel.management.v1.BulkRemoveUserMetadataRequest;
import com.zitadel.management.v1.BulkRemoveUserMetadataResponse;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.BulkSetUserMetadataResponse;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataResponse;
import com.zitadel.management.v1.ListUserMetadataRequest;
import com.zitadel.management.v1.ListUserMetadataResponse;
import com.zitadel.management.v1.RemoveUserMetadataRequest;
import com.zitadel.management.v1.RemoveUserMetadataResponse;
import com.zitadel.management.v1.SetUserMetadataRequest;
import com.zitadel.management.v1.SetUserMetadataResponse;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataService;
import io.vertx.core.Future;
import java.util.List;

/**
 * The six v1 user-metadata methods of {@code zitadel.management.v1.ManagementService}, on the same
 * {@link MetadataService} as the REST endpoints. Any other method of the service is UNIMPLEMENTED.
 */
final class ManagementCalls extends ManagementMethods {
  private final MetadataService service;

  ManagementCalls(MetadataService service, Unary unary) {
    super(unary);
    this.service = service;
  }

  @Override
  Future<BulkSetUserMetadataResponse> bulkSet(BulkSetUserMetadataRequest req, Call call) {
    List<KeyValue> entries = entries(req);
    return call.run(
        Action.WRITE,
        req.getId(),
        u ->
            service
                .bulkSet(u, entries)
                .thenApply(
                    d ->
                        BulkSetUserMetadataResponse.newBuilder()
                            .setDetails(Protos.details(d))
                            .build()));
  }

  @Override
  Future<SetUserMetadataResponse> set(SetUserMetadataRequest req, Call call) {
    byte[] value = req.getValue().toByteArray();
    return call.run(
        Action.WRITE,
        req.getId(),
        u ->
            service
                .set(u, req.getKey(), value)
                .thenApply(
                    d ->
                        SetUserMetadataResponse.newBuilder()
                            .setDetails(Protos.details(d))
                            .build()));
  }

  @Override
  Future<GetUserMetadataResponse> get(GetUserMetadataRequest req, Call call) {
    return call.run(
        Action.READ,
        req.getId(),
        u ->
            service
                .get(u, req.getKey())
                .thenApply(
                    e ->
                        GetUserMetadataResponse.newBuilder()
                            .setMetadata(Protos.v1(e, u.orgId()))
                            .build()));
  }

  @Override
  Future<ListUserMetadataResponse> list(ListUserMetadataRequest req, Call call) {
    var page = page(req);
    List<KeyQuery> queries = keyQueries(req);
    return call.run(
        Action.READ,
        req.getId(),
        u ->
            service
                .list(u, page, queries)
                .thenApply(
                    p -> {
                      var b = ListUserMetadataResponse.newBuilder();
                      b.setDetails(Protos.listDetails(p));
                      p.result().forEach(e -> b.addResult(Protos.v1(e, u.orgId())));
                      return b.build();
                    }));
  }

  @Override
  Future<RemoveUserMetadataResponse> remove(RemoveUserMetadataRequest req, Call call) {
    return call.run(
        Action.WRITE,
        req.getId(),
        u ->
            service
                .remove(u, req.getKey())
                .thenApply(
                    d ->
                        RemoveUserMetadataResponse.newBuilder()
                            .setDetails(Protos.details(d))
                            .build()));
  }

  @Override
  Future<BulkRemoveUserMetadataResponse> bulkRemove(BulkRemoveUserMetadataRequest req, Call call) {
    List<String> keys = List.copyOf(req.getKeysList());
    return call.run(
        Action.WRITE,
        req.getId(),
        u ->
            service
                .bulkRemove(u, keys)
                .thenApply(
                    d ->
                        BulkRemoveUserMetadataResponse.newBuilder()
                            .setDetails(Protos.details(d))
                            .build()));
  }
}
