package dev.metagate.api.rest;

import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * Which of the six v1 metadata endpoints a request is, with its decoded user id and key; null for
 * anything else, which upstream mode passes through to ZITADEL.
 */
record V1Call(Op op, String userId, String key) {
  /** The six operations, named as the gRPC methods, with the permission each needs. */
  enum Op {
    BulkSetUserMetadata(Action.WRITE),
    SetUserMetadata(Action.WRITE),
    GetUserMetadata(Action.READ),
    ListUserMetadata(Action.READ),
    RemoveUserMetadata(Action.WRITE),
    BulkRemoveUserMetadata(Action.WRITE);

    final Action action;

    Op(Action action) {
      this.action = action;
    }
  }

  static V1Call match(HttpMethod method, String rawPath) {
    List<String> seg;
    try {
      seg = PathSegments.after(rawPath, MetadataRoutes.PREFIX);
    } catch (MetagateException undecodable) {
      return null;
    }
    if (seg == null || seg.size() != 3 || !seg.get(1).equals("metadata")) {
      return null;
    }
    Op op = op(method, seg.get(2));
    return op == null ? null : new V1Call(op, seg.get(0), seg.get(2));
  }

  private static Op op(HttpMethod method, String last) {
    if (last.equals("_bulk")) {
      return method == HttpMethod.POST
          ? Op.BulkSetUserMetadata
          : method == HttpMethod.DELETE ? Op.BulkRemoveUserMetadata : null;
    }
    if (last.equals("_search")) {
      return method == HttpMethod.POST ? Op.ListUserMetadata : null;
    }
    if (method == HttpMethod.POST) {
      return Op.SetUserMetadata;
    }
    if (method == HttpMethod.GET) {
      return Op.GetUserMetadata;
    }
    return method == HttpMethod.DELETE ? Op.RemoveUserMetadata : null;
  }
}
