package dev.metagate.metadata;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Validates each request, then writes through the store and reads through the cache. */
final class DefaultMetadataService implements MetadataService {
  private final MetadataStore store;
  private final UserMetadataCache cache;

  DefaultMetadataService(MetadataStore store, UserMetadataCache cache) {
    this.store = store;
    this.cache = cache;
  }

  @Override
  public CompletionStage<Details> bulkSet(UserRef user, List<KeyValue> entries) {
    return guarded(
        () -> {
          Validation.userId("BulkSetUserMetadataRequest", "Id", user.userId());
          Validation.bulkEntries("BulkSetUserMetadataRequest", entries);
          return store
              .write(user, new WriteCommand.SetKeys(entries))
              .thenApply(w -> changeDetails(user, w));
        });
  }

  @Override
  public CompletionStage<Details> set(UserRef user, String key, byte[] value) {
    return guarded(
        () -> {
          Validation.userId("SetUserMetadataRequest", "Id", user.userId());
          Validation.key("SetUserMetadataRequest.Key", key);
          Validation.value("SetUserMetadataRequest.Value", value);
          Validation.storable(key);
          return store
              .write(user, new WriteCommand.SetKeys(List.of(new KeyValue(key, value))))
              .thenApply(w -> new Details(w.sequence(), w.changeMicros(), 0, user.orgId()));
        });
  }

  @Override
  public CompletionStage<MetadataEntry> get(UserRef user, String key) {
    return guarded(
        () -> {
          Validation.userId("GetUserMetadataRequest", "Id", user.userId());
          Validation.key("GetUserMetadataRequest.Key", key);
          return cache
              .get(user, store::load)
              .thenApply(
                  snapshot -> {
                    MetadataEntry entry = snapshot.get(key);
                    if (entry == null) {
                      throw Errors.getNotFound();
                    }
                    return entry;
                  });
        });
  }

  @Override
  public CompletionStage<MetadataPage> list(UserRef user, ListQuery page, List<KeyQuery> queries) {
    return guarded(
        () -> {
          Validation.userId("ListUserMetadataRequest", "Id", user.userId());
          Validation.listQuery(page);
          for (int i = 0; i < queries.size(); i++) {
            Validation.keyQuery("MetadataKeyQuery.Key", queries.get(i));
          }
          return cache.get(user, store::load).thenApply(s -> s.list(page, queries));
        });
  }

  @Override
  public CompletionStage<Details> remove(UserRef user, String key) {
    return guarded(
        () -> {
          Validation.userId("RemoveUserMetadataRequest", "Id", user.userId());
          Validation.key("RemoveUserMetadataRequest.Key", key);
          return store
              .write(user, new WriteCommand.RemoveKeys(List.of(key), false))
              .thenApply(w -> changeDetails(user, w));
        });
  }

  @Override
  public CompletionStage<Details> bulkRemove(UserRef user, List<String> keys) {
    return guarded(
        () -> {
          Validation.userId("BulkRemoveUserMetadataRequest", "Id", user.userId());
          Validation.keys("BulkRemoveUserMetadataRequest", keys);
          return store
              .write(user, new WriteCommand.RemoveKeys(keys, true))
              .thenApply(w -> changeDetails(user, w));
        });
  }

  private static Details changeDetails(UserRef user, CommittedWrite w) {
    return new Details(w.sequence(), 0, w.changeMicros(), user.orgId());
  }

  /** Turns a validation exception into a failed stage, so callers handle one path. */
  private static <T> CompletionStage<T> guarded(Supplier<CompletionStage<T>> body) {
    try {
      return body.get();
    } catch (MetagateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
