package dev.metagate.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserMetadataCache;
import dev.metagate.metadata.UserRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Caffeine holding one snapshot per user, weighed in bytes.
 *
 * <p>Write-through without races: a committed write replaces a loaded snapshot with the snapshot
 * plus the write. If a load is still in flight, its result may predate the commit, so the in-flight
 * entry is dropped instead; the readers already waiting get the older state (they began before the
 * write was acknowledged) and the next read loads the committed state. Both happen inside one
 * atomic {@code compute} on the map, so no load can slip in between.
 *
 * <p>With several instances on one database a write may skip sequence numbers that another instance
 * used: then the snapshot plus the write would miss the other instance's changes, so the entry is
 * dropped instead of patched. Notified changes of other instances drop older entries.
 */
public final class CaffeineUserCache implements UserMetadataCache {
  private final AsyncCache<UserRef, UserMetadata> cache;
  private volatile boolean bypass;

  CaffeineUserCache(long maxBytes, Ticker ticker) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((UserRef k, UserMetadata v) -> (int) Math.min(Integer.MAX_VALUE, v.weight()))
            .ticker(ticker)
            .executor(Runnable::run)
            .recordStats()
            .buildAsync();
  }

  @Override
  public CompletionStage<UserMetadata> get(
      UserRef user, Function<UserRef, CompletionStage<UserMetadata>> loader) {
    if (bypass) {
      return loader.apply(user);
    }
    return cache.get(user, (k, executor) -> loader.apply(k).toCompletableFuture());
  }

  @Override
  public void committed(CommittedWrite write) {
    if (write.changes().isEmpty()) {
      return;
    }
    cache
        .asMap()
        .computeIfPresent(
            write.user(),
            (k, current) -> {
              if (!current.isDone() || current.isCompletedExceptionally()) {
                return null;
              }
              UserMetadata snapshot = current.join();
              if (write.sequence() <= snapshot.sequence()) {
                return current;
              }
              if (write.sequence() - write.changes().size() != snapshot.sequence()) {
                return null;
              }
              return CompletableFuture.completedFuture(snapshot.apply(write));
            });
  }

  @Override
  public void changed(UserRef user, long sequence) {
    cache
        .asMap()
        .computeIfPresent(
            user,
            (k, current) -> {
              if (!current.isDone() || current.isCompletedExceptionally()) {
                return null;
              }
              return current.join().sequence() < sequence ? null : current;
            });
  }

  @Override
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  @Override
  public void bypass(boolean on) {
    bypass = on;
  }

  @Override
  public long weightedBytes() {
    return cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Hit, miss and eviction counts since start. */
  public CacheStats stats() {
    return cache.synchronous().stats();
  }

  /** Users held, loaded or loading. */
  long users() {
    return cache.asMap().size();
  }

  /** Runs pending maintenance, so tests and metrics see settled sizes. */
  public void cleanUp() {
    cache.synchronous().cleanUp();
  }
}
