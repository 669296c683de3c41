package dev.metagate.api.grpc;

import com.google.protobuf.Timestamp;
import com.zitadel.filter.v2.PaginationRequest;
import com.zitadel.filter.v2.PaginationResponse;
import com.zitadel.metadata.v2.MetadataSearchFilter;
import com.zitadel.user.v2.DeleteUserMetadataRequest;
import com.zitadel.user.v2.DeleteUserMetadataResponse;
import com.zitadel.user.v2.ListUserMetadataRequest;
import com.zitadel.user.v2.ListUserMetadataResponse;
import com.zitadel.user.v2.SetUserMetadataRequest;
import com.zitadel.user.v2.SetUserMetadataResponse;
import dev.metagate.api.V2Rules;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetadataService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The three user-metadata methods of {@code zitadel.user.v2.UserService}, mapped onto the v1
 * semantics of {@link MetadataService}: Set is a bulk set answering its commit time ({@code
 * setDate}), List is the v1 list with v2 paging (by creation date) and filters, Delete is a bulk
 * remove answering {@code deletionDate}. Field rules and their messages are REST's ({@link
 * V2Rules}), checked after authentication. Any other method of the service is UNIMPLEMENTED.
 */
final class UserCalls extends UserMethods {
  private final MetadataService service;

  UserCalls(MetadataService service, Unary unary) {
    super(unary);
    this.service = service;
  }

  /** The request's entries, in order. */
  static List<KeyValue> entries(SetUserMetadataRequest req) {
    List<KeyValue> entries = new ArrayList<>(req.getMetadataCount());
    for (com.zitadel.user.v2.Metadata m : req.getMetadataList()) {
      entries.add(new KeyValue(m.getKey(), m.getValue().toByteArray()));
    }
    return entries;
  }

  /** The request's paging, v2 style (by creation date). */
  static ListQuery page(ListUserMetadataRequest req) {
    PaginationRequest p = req.getPagination(); // the default instance when not set
    return Protos.v2Page(p.getOffset(), p.getLimit(), p.getAsc());
  }

  /** The request's filters, for {@link V2Rules#list}. */
  static List<V2Rules.Filter> filters(ListUserMetadataRequest req) {
    List<V2Rules.Filter> filters = new ArrayList<>(req.getFiltersCount());
    for (MetadataSearchFilter f : req.getFiltersList()) {
      filters.add(
          new V2Rules.Filter(
              f.hasKeyFilter()
                  ? new V2Rules.KeyFilter(
                      f.getKeyFilter().getKey(), f.getKeyFilter().getMethodValue())
                  : null));
    }
    return filters;
  }

  @Override
  Future<SetUserMetadataResponse> set(SetUserMetadataRequest req, Call call) {
    List<KeyValue> entries = entries(req);
    return call.run(
        Action.WRITE,
        req.getUserId(),
        u -> {
          V2Rules.set(req.getUserId(), entries);
          return service
              .bulkSet(u, entries)
              .thenApply(
                  d -> {
                    var b = SetUserMetadataResponse.newBuilder();
                    Timestamp at = Protos.timestamp(d.changeMicros());
                    return at == null ? b.build() : b.setSetDate(at).build();
                  });
        });
  }

  @Override
  Future<ListUserMetadataResponse> list(ListUserMetadataRequest req, Call call) {
    ListQuery query = page(req);
    List<V2Rules.Filter> filters = filters(req);
    return call.run(
        Action.READ,
        req.getUserId(),
        u ->
            service
                .list(u, query, V2Rules.list(req.getUserId(), query, filters))
                .thenApply(
                    found -> {
                      var b =
                          ListUserMetadataResponse.newBuilder()
                              .setPagination(
                                  PaginationResponse.newBuilder()
                                      .setTotalResult(found.totalResult())
                                      .setAppliedLimit(query.effectiveLimit()));
                      found.result().forEach(e -> b.addMetadata(Protos.v2(e)));
                      return b.build();
                    }));
  }

  @Override
  Future<DeleteUserMetadataResponse> delete(DeleteUserMetadataRequest req, Call call) {
    List<String> keys = List.copyOf(req.getKeysList());
    return call.run(
        Action.WRITE,
        req.getUserId(),
        u -> {
          V2Rules.delete(req.getUserId(), keys);
          return service
              .bulkRemove(u, keys)
              .thenApply(
                  d -> {
                    var b = DeleteUserMetadataResponse.newBuilder();
                    Timestamp at = Protos.timestamp(d.changeMicros());
                    return at == null ? b.build() : b.setDeletionDate(at).build();
                  });
        });
  }
}
