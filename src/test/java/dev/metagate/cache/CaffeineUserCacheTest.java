package dev.metagate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.KeyChange;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CaffeineUserCacheTest {
  private static final UserRef U = new UserRef("o", "u");

  private static CommittedWrite setA(long seq, String value) {
    return new CommittedWrite(
        U,
        seq,
        seq,
        List.of(new KeyChange("a", new MetadataEntry("a", value.getBytes(), seq, 1, seq))));
  }

  @Test
  void concurrentMisses_loadOnce() {
    CaffeineUserCache cache = UserCaches.bounded(1 << 20, Ticker.systemTicker());
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<UserMetadata> pending = new CompletableFuture<>();
    var first =
        cache.get(
            U,
            u -> {
              loads.incrementAndGet();
              return pending;
            });
    var second =
        cache.get(
            U,
            u -> {
              loads.incrementAndGet();
              return pending;
            });
    pending.complete(UserMetadata.empty(U));
    assertThat(first.toCompletableFuture().join()).isSameAs(second.toCompletableFuture().join());
    assertThat(loads).hasValue(1);
    assertThat(cache.stats().missCount()).isEqualTo(1);
    assertThat(cache.stats().hitCount()).isEqualTo(1);
  }

  @Test
  void committedWrite_updatesALoadedSnapshot() {
    CaffeineUserCache cache = UserCaches.bounded(1 << 20, Ticker.systemTicker());
    cache
        .get(U, u -> CompletableFuture.completedFuture(UserMetadata.empty(U)))
        .toCompletableFuture()
        .join();
    cache.committed(setA(1, "x"));
    AtomicInteger loads = new AtomicInteger();
    UserMetadata m =
        cache
            .get(
                U,
                u -> {
                  loads.incrementAndGet();
                  return CompletableFuture.completedFuture(UserMetadata.empty(U));
                })
            .toCompletableFuture()
            .join();
    assertThat(loads).hasValue(0);
    assertThat(new String(m.get("a").value())).isEqualTo("x");
  }

  @Test
  void committedWrite_duringALoad_dropsTheLoad_soTheNextReadSeesTheCommit() {
    CaffeineUserCache cache = UserCaches.bounded(1 << 20, Ticker.systemTicker());
    CompletableFuture<UserMetadata> staleLoad = new CompletableFuture<>();
    var waiting = cache.get(U, u -> staleLoad);
    cache.committed(setA(1, "x"));
    staleLoad.complete(UserMetadata.empty(U));
    assertThat(waiting.toCompletableFuture().join().get("a")).isNull();
    UserMetadata fresh = UserMetadata.empty(U).apply(setA(1, "x"));
    UserMetadata next =
        cache.get(U, u -> CompletableFuture.completedFuture(fresh)).toCompletableFuture().join();
    assertThat(new String(next.get("a").value())).isEqualTo("x");
  }

  @Test
  void snapshotOverBudget_isNotKept() {
    CaffeineUserCache cache = UserCaches.bounded(1024, Ticker.systemTicker());
    UserMetadata big =
        UserMetadata.of(U, 1, 1, List.of(new MetadataEntry("k", new byte[10_000], 1, 1, 1)));
    cache.get(U, u -> CompletableFuture.completedFuture(big)).toCompletableFuture().join();
    cache.cleanUp();
    assertThat(cache.weightedBytes()).isLessThanOrEqualTo(1024);
    assertThat(cache.stats().evictionCount()).isEqualTo(1);
  }

  private static UserMetadata cached(CaffeineUserCache cache, UserMetadata loaded) {
    return cache
        .get(U, u -> CompletableFuture.completedFuture(loaded))
        .toCompletableFuture()
        .join();
  }

  private static boolean holds(CaffeineUserCache cache) {
    return cache.stats().hitCount() < hitAfterGet(cache);
  }

  private static long hitAfterGet(CaffeineUserCache cache) {
    cache
        .get(U, u -> CompletableFuture.completedFuture(UserMetadata.empty(U)))
        .toCompletableFuture()
        .join();
    return cache.stats().hitCount();
  }

  @Test
  void committedWrite_thatSkippedSequences_dropsTheSnapshotInsteadOfPatchingIt() {
    CaffeineUserCache cache = UserCaches.bounded(1 << 20, Ticker.systemTicker());
    cached(cache, UserMetadata.empty(U).apply(setA(1, "x")));
    // another instance wrote sequence 2; this instance's own write is 3
    cache.committed(setA(3, "y"));
    AtomicInteger loads = new AtomicInteger();
    cache
        .get(
            U,
            u -> {
              loads.incrementAndGet();
              return CompletableFuture.completedFuture(UserMetadata.empty(U));
            })
        .toCompletableFuture()
        .join();
    assertThat(loads).hasValue(1);
  }

  @Test
  void changedElsewhere_dropsOnlyOlderSnapshots() {
    CaffeineUserCache cache = UserCaches.bounded(1 << 20, Ticker.systemTicker());
    cached(cache, UserMetadata.empty(U).apply(setA(1, "x")));
    cache.changed(U, 1);
    assertThat(holds(cache)).as("same sequence: kept").isTrue();
    cache.changed(U, 2);
    assertThat(cache.users()).isZero();
  }

  @Test
  void bypass_readsThroughAndKeepsNothing_andInvalidateAllClears() {
    CaffeineUserCache cache = UserCaches.bounded(1 << 20, Ticker.systemTicker());
    cached(cache, UserMetadata.empty(U));
    cache.bypass(true);
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      cache.get(
          new UserRef("o", "other"),
          u -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(UserMetadata.empty(u));
          });
    }
    assertThat(loads).hasValue(2);
    cache.invalidateAll();
    cache.bypass(false);
    assertThat(cache.users()).isZero();
  }
}
