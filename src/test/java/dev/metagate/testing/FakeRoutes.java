package dev.metagate.testing;

import io.vertx.core.http.HttpMethod;

/** Names a request to the fake ZITADEL by the operation it calls, for counters and faults. */
final class FakeRoutes {
  private static final String USERS = "/management/v1/users/";

  private FakeRoutes() {}

  /** {@code v2.SetUserMetadata}, {@code v2.ListUserMetadata}, {@code v2.DeleteUserMetadata}. */
  private static String v2(HttpMethod method, String path) {
    if (path.endsWith("/metadata/search") && method == HttpMethod.POST) {
      return "v2.ListUserMetadata";
    }
    if (path.endsWith("/metadata")) {
      if (method == HttpMethod.POST) {
        return "v2.SetUserMetadata";
      }
      if (method == HttpMethod.DELETE) {
        return "v2.DeleteUserMetadata";
      }
    }
    return "other";
  }

  static String operation(HttpMethod method, String path) {
    if (path.equals("/management/v1/orgs/me")) {
      return FakeZitadel.ORGS_ME;
    }
    if (path.equals("/admin/v1/events/_search")) {
      return FakeZitadel.LIST_EVENTS;
    }
    if (path.equals("/oauth/v2/token")) {
      return FakeZitadel.OAUTH_TOKEN;
    }
    if (path.startsWith("/v2/users/")) {
      return v2(method, path);
    }
    if (!path.startsWith(USERS)) {
      return "other";
    }
    String[] seg = path.substring(USERS.length()).split("/", -1);
    if (seg.length != 3 || !seg[1].equals("metadata")) {
      return "other";
    }
    String last = seg[2];
    if (last.equals("_bulk")) {
      return method == HttpMethod.POST ? "BulkSetUserMetadata" : "BulkRemoveUserMetadata";
    }
    if (last.equals("_search")) {
      return "ListUserMetadata";
    }
    if (method == HttpMethod.POST) {
      return "SetUserMetadata";
    }
    return method == HttpMethod.GET ? "GetUserMetadata" : "RemoveUserMetadata";
  }
}
