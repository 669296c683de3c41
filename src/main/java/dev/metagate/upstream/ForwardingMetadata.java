package dev.metagate.upstream;

import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.Requests;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/** Validates each request with the local rules, then forwards it to ZITADEL as is. */
final class ForwardingMetadata implements UpstreamMetadata {
  static final String ORG_HEADER = "x-zitadel-orgid";
  private static final String BULK = "_bulk";
  private static final String SEARCH = "_search";

  private final UpstreamClient client;

  ForwardingMetadata(UpstreamClient client) {
    this.client = client;
  }

  @Override
  public Future<UpstreamReply> bulkSet(Credential as, String userId, List<KeyValue> entries) {
    return checked(() -> Requests.bulkSet(userId, entries))
        .compose(
            x ->
                write(
                    as,
                    "BulkSetUserMetadata",
                    HttpMethod.POST,
                    userId,
                    BULK,
                    ZitadelJson.bulkSet(entries)));
  }

  @Override
  public Future<UpstreamReply> set(Credential as, String userId, String key, byte[] value) {
    return checked(() -> Requests.set(userId, key, value))
        .compose(
            x ->
                write(
                    as, "SetUserMetadata", HttpMethod.POST, userId, key, ZitadelJson.value(value)));
  }

  @Override
  public Future<UpstreamReply> get(Credential as, String userId, String key) {
    return checked(() -> Requests.get(userId, key))
        .compose(x -> send(as, "GetUserMetadata", HttpMethod.GET, userId, key, null, false));
  }

  @Override
  public Future<UpstreamReply> list(
      Credential as, String userId, ListQuery page, List<KeyQuery> queries) {
    return checked(() -> Requests.list(userId, page, queries))
        .compose(
            x ->
                send(
                    as,
                    "ListUserMetadata",
                    HttpMethod.POST,
                    userId,
                    SEARCH,
                    ZitadelJson.list(page, queries),
                    false));
  }

  @Override
  public Future<UpstreamReply> remove(Credential as, String userId, String key) {
    return checked(() -> Requests.remove(userId, key))
        .compose(x -> write(as, "RemoveUserMetadata", HttpMethod.DELETE, userId, key, null));
  }

  @Override
  public Future<UpstreamReply> bulkRemove(Credential as, String userId, List<String> keys) {
    return checked(() -> Requests.bulkRemove(userId, keys))
        .compose(
            x ->
                write(
                    as,
                    "BulkRemoveUserMetadata",
                    HttpMethod.DELETE,
                    userId,
                    BULK,
                    ZitadelJson.keys(keys)));
  }

  private Future<UpstreamReply> write(
      Credential as, String op, HttpMethod method, String userId, String last, Buffer body) {
    return send(as, op, method, userId, last, body, true);
  }

  private Future<UpstreamReply> send(
      Credential as,
      String op,
      HttpMethod method,
      String userId,
      String last,
      Buffer body,
      boolean write) {
    UpstreamCall call =
        new UpstreamCall(op, method, ZitadelJson.path(userId, last), headers(as), body, write);
    return client.send(call);
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

  /** The rules' verdict as a future: failed with their exception, or succeeded. */
  private static Future<Void> checked(Runnable rules) {
    try {
      rules.run();
      return Future.succeededFuture();
    } catch (MetagateException e) {
      return Future.failedFuture(e);
    }
  }
}
