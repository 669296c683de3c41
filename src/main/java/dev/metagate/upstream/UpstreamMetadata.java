package dev.metagate.upstream;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetadataPage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * ZITADEL's six v1 user-metadata operations, performed by ZITADEL. Each request is checked by the
 * same rules as in local mode ({@link dev.metagate.metadata.Requests}) before any upstream call: a
 * request that breaks one fails with that {@link dev.metagate.metadata.MetagateException} and costs
 * ZITADEL nothing. Reads are answered from a per-user snapshot that ZITADEL listed for a credential
 * it accepted (a Get of a missing key fails with ZITADEL's not-found error); writes hold ZITADEL's
 * reply, success or error, and may share one upstream call with other writes.
 */
public interface UpstreamMetadata {
  /**
   * Metadata through {@code client}, with the cache and write coalescing of {@code options} on
   * {@code ticker}; {@code coalesced} is told how many requests joined another's upstream call.
   */
  static UpstreamMetadata create(
      Vertx vertx,
      UpstreamClient client,
      SidecarOptions options,
      Ticker ticker,
      IntConsumer coalesced) {
    return new SidecarMetadata(vertx, client, options, ticker, coalesced);
  }

  Future<UpstreamReply> bulkSet(Credential as, String userId, List<KeyValue> entries);

  Future<UpstreamReply> set(Credential as, String userId, String key, byte[] value);

  Future<ReadAnswer<MetadataEntry>> get(Credential as, String userId, String key);

  Future<ReadAnswer<MetadataPage>> list(
      Credential as, String userId, ListQuery page, List<KeyQuery> queries);

  Future<UpstreamReply> remove(Credential as, String userId, String key);

  Future<UpstreamReply> bulkRemove(Credential as, String userId, List<String> keys);

  /**
   * The v2 User service's SetUserMetadata, sent to ZITADEL's v2 REST endpoint as it is (checked by
   * the caller against {@link dev.metagate.api.V2Rules}); the user's cached snapshots, under any
   * org header, are dropped when it is sent and again when it ends.
   */
  Future<UpstreamReply> setV2(Credential as, String userId, List<KeyValue> entries);

  /** The v2 DeleteUserMetadata, as {@link #setV2}. */
  Future<UpstreamReply> deleteV2(Credential as, String userId, List<String> keys);

  /** The v2 ListUserMetadata with the request's JSON body (minus the user id), read upstream. */
  Future<UpstreamReply> listV2(Credential as, String userId, Buffer body);

  /** Stops polling ZITADEL's events; calls in flight still end. */
  void close();

  /** The per-user cache's counters, for the metrics. */
  UpstreamCacheStats cacheStats();
}
