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
          Requests.bulkSet(user.userId(), entries);
          return store
              .write(user, new WriteCommand.SetKeys(entries))
              .thenApply(w -> changeDetails(user, w));
        });
  }

  @Override
  public CompletionStage<Details> set(UserRef user, String key, byte[] value) {
    return guarded(
        () -> {
          Requests.set(user.userId(), key, value);
          return store
              .write(user, new WriteCommand.SetKeys(List.of(new KeyValue(key, value))))
              .thenApply(w -> new Details(w.sequence(), w.changeMicros(), 0, user.orgId()));
        });
  }

  @Override
  public CompletionStage<MetadataEntry> get(UserRef user, String key) {
    return guarded(
        () -> {
          Requests.get(user.userId(), key);
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
          Requests.list(user.userId(), page, queries);
          return cache.get(user, store::load).thenApply(s -> s.list(page, queries));
        });
  }

  @Override
  public CompletionStage<Details> remove(UserRef user, String key) {
    return guarded(
        () -> {
          Requests.remove(user.userId(), key);
          return store
              .write(user, new WriteCommand.RemoveKeys(List.of(key), false))
              .thenApply(w -> changeDetails(user, w));
        });
  }

  @Override
  public CompletionStage<Details> bulkRemove(UserRef user, List<String> keys) {
    return guarded(
        () -> {
          Requests.bulkRemove(user.userId(), keys);
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
