package dev.metagate.upstream;

import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import io.vertx.core.Future;
import java.util.List;

/**
 * ZITADEL's six v1 user-metadata operations, performed by ZITADEL. Each request is checked by the
 * same rules as in local mode ({@link dev.metagate.metadata.Requests}) before any upstream call: a
 * request that breaks one fails with that {@link dev.metagate.metadata.MetagateException} and costs
 * ZITADEL nothing. Otherwise the future holds ZITADEL's reply, success or error, untouched.
 */
public interface UpstreamMetadata {
  static UpstreamMetadata forwarding(UpstreamClient client) {
    return new ForwardingMetadata(client);
  }

  Future<UpstreamReply> bulkSet(Credential as, String userId, List<KeyValue> entries);

  Future<UpstreamReply> set(Credential as, String userId, String key, byte[] value);

  Future<UpstreamReply> get(Credential as, String userId, String key);

  Future<UpstreamReply> list(Credential as, String userId, ListQuery page, List<KeyQuery> queries);

  Future<UpstreamReply> remove(Credential as, String userId, String key);

  Future<UpstreamReply> bulkRemove(Credential as, String userId, List<String> keys);
}
