package dev.metagate.api.rest;

import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * Which of the three v2 User service metadata endpoints a request is, with its decoded user id;
 * null for anything else, which upstream mode passes through to ZITADEL.
 */
record V2Call(Op op, String userId) {
  /** The three operations, named as local mode's metrics name them, with their permission. */
  enum Op {
    SET(V2Routes.SET, Action.WRITE),
    LIST(V2Routes.LIST, Action.READ),
    DELETE(V2Routes.DELETE, Action.WRITE);

    final String operation;
    final Action action;

    Op(String operation, Action action) {
      this.operation = operation;
      this.action = action;
    }
  }

  static V2Call match(HttpMethod method, String rawPath) {
    List<String> seg;
    try {
      seg = PathSegments.after(rawPath, V2Routes.PREFIX);
    } catch (MetagateException undecodable) {
      return null;
    }
    if (seg == null || seg.size() < 2 || seg.size() > 3 || !seg.get(1).equals("metadata")) {
      return null;
    }
    Op op;
    if (seg.size() == 3) {
      op = seg.get(2).equals("search") && method == HttpMethod.POST ? Op.LIST : null;
    } else {
      op = method == HttpMethod.POST ? Op.SET : method == HttpMethod.DELETE ? Op.DELETE : null;
    }
    return op == null ? null : new V2Call(op, seg.get(0));
  }
}
