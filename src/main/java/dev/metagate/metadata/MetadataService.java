package dev.metagate.metadata;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The metadata operations of ZITADEL's Management API for one user, validated by ZITADEL's rules.
 * Every method fails its stage with {@link MetagateException}; none throws.
 */
public interface MetadataService {
  /** A service over a durable store, reading through the per-user cache. */
  static MetadataService create(MetadataStore store, UserMetadataCache cache) {
    return new DefaultMetadataService(store, cache);
  }

  CompletionStage<Details> bulkSet(UserRef user, List<KeyValue> entries);

  CompletionStage<Details> set(UserRef user, String key, byte[] value);

  CompletionStage<MetadataEntry> get(UserRef user, String key);

  CompletionStage<MetadataPage> list(UserRef user, ListQuery page, List<KeyQuery> queries);

  CompletionStage<Details> remove(UserRef user, String key);

  CompletionStage<Details> bulkRemove(UserRef user, List<String> keys);
}
