package dev.metagate.upstream;

import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/** The upstream calls of the v1 metadata endpoints, as ZITADEL's REST gateway expects them. */
final class ZitadelCalls {
  static final String ORG_HEADER = "x-zitadel-orgid";
  static final String LIST = "ListUserMetadata";
  static final String SET = "SetUserMetadata";
  static final String BULK_SET = "BulkSetUserMetadata";
  private static final String BULK = "_bulk";
  private static final String SEARCH = "_search";

  private ZitadelCalls() {}

  static UpstreamCall bulkSet(Credential as, String userId, List<KeyValue> entries) {
    return write(as, BULK_SET, HttpMethod.POST, userId, BULK, ZitadelJson.bulkSet(entries));
  }

  static UpstreamCall set(Credential as, String userId, String key, byte[] value) {
    return write(as, SET, HttpMethod.POST, userId, key, ZitadelJson.value(value));
  }

  static UpstreamCall remove(Credential as, String userId, String key) {
    return write(as, "RemoveUserMetadata", HttpMethod.DELETE, userId, key, null);
  }

  static UpstreamCall bulkRemove(Credential as, String userId, List<String> keys) {
    return write(
        as, "BulkRemoveUserMetadata", HttpMethod.DELETE, userId, BULK, ZitadelJson.keys(keys));
  }

  /** One page of the user's full list, in key order. */
  static UpstreamCall listPage(Credential as, String userId, long offset, int limit) {
    Buffer body = ZitadelJson.list(new ListQuery(offset, limit, true), List.of());
    String uri = ZitadelJson.path(userId, SEARCH);
    return new UpstreamCall(LIST, HttpMethod.POST, uri, headers(as), body, false);
  }

  static UpstreamCall setV2(Credential as, String userId, List<KeyValue> entries) {
    // v2's SetUserMetadataRequest body has v1's bulk shape: {"metadata":[{"key","value"}]}
    return new UpstreamCall(
        "user.v2.SetUserMetadata",
        HttpMethod.POST,
        ZitadelJson.pathV2(userId, ""),
        headers(as),
        ZitadelJson.bulkSet(entries),
        true);
  }

  static UpstreamCall deleteV2(Credential as, String userId, List<String> keys) {
    StringBuilder query = new StringBuilder();
    for (String k : keys) {
      query.append(query.length() == 0 ? '?' : '&').append("keys=").append(ZitadelJson.segment(k));
    }
    return new UpstreamCall(
        "user.v2.DeleteUserMetadata",
        HttpMethod.DELETE,
        ZitadelJson.pathV2(userId, "") + query,
        headers(as),
        null,
        true);
  }

  static UpstreamCall listV2(Credential as, String userId, Buffer body) {
    return new UpstreamCall(
        "user.v2.ListUserMetadata",
        HttpMethod.POST,
        ZitadelJson.pathV2(userId, "/search"),
        headers(as),
        body,
        false);
  }

  private static UpstreamCall write(
      Credential as, String op, HttpMethod method, String userId, String last, Buffer body) {
    return new UpstreamCall(op, method, ZitadelJson.path(userId, last), headers(as), body, true);
  }

  static MultiMap headers(Credential as) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("accept", "application/json");
    if (as.authorization() != null) {
      h.add("authorization", as.authorization());
    }
    if (as.orgId() != null) {
      h.add(ORG_HEADER, as.orgId());
    }
    if (as.requestId() != null) {
      h.add("x-request-id", as.requestId());
    }
    return h;
  }
}
