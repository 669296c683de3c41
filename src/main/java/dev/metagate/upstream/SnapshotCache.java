package dev.metagate.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;

/**
 * Users' full metadata as ZITADEL last listed it, and which credentials ZITADEL last accepted for
 * which user. A snapshot is handed out only together with a confirmation of the asking credential
 * younger than {@code permissionTtl}; snapshots themselves expire {@code ttl} after they were
 * fetched, and the cache holds at most {@code maxBytes} of them.
 *
 * <p>Confirmations and rejections are ordered by a stamp taken when the upstream call started: a
 * call that started before ZITADEL rejected the credential cannot confirm it when it ends later.
 */
final class SnapshotCache implements UpstreamCacheStats {
  /** Credentials remembered at most; a forgotten one just goes upstream again. */
  private static final long MAX_CONFIRMATIONS = 100_000;

  private static final long NEVER = Long.MIN_VALUE;

  private final Ticker ticker;
  private final long permissionTtlNanos;
  private final Cache<UserRef, UserMetadata> snapshots;
  private final Cache<Grant, Confirmation> confirmations;
  private final AtomicLong stamps = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** One credential (by fingerprint) for one user. */
  private record Grant(String credential, UserRef user) {}

  /** When ZITADEL last accepted the grant (ticker time), and the stamp of its last rejection. */
  private record Confirmation(long confirmedAt, long rejectedStamp) {}

  SnapshotCache(long maxBytes, Duration ttl, Duration permissionTtl, Ticker ticker) {
    this.ticker = ticker;
    this.permissionTtlNanos = permissionTtl.toNanos();
    this.snapshots =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((UserRef k, UserMetadata v) -> (int) Math.min(Integer.MAX_VALUE, v.weight()))
            .expireAfterWrite(ttl)
            .ticker(ticker)
            .executor(Runnable::run)
            .recordStats()
            .build();
    this.confirmations =
        Caffeine.newBuilder()
            .maximumSize(MAX_CONFIRMATIONS)
            .expireAfterWrite(permissionTtl)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  /** The user's snapshot if {@code credential} may see it now, else null; counts hit or miss. */
  UserMetadata lookup(UserRef user, String credential) {
    UserMetadata s = confirmed(credential, user) ? snapshots.getIfPresent(user) : null;
    (s != null ? hits : misses).increment();
    return s;
  }

  private boolean confirmed(String credential, UserRef user) {
    Confirmation c = confirmations.getIfPresent(new Grant(credential, user));
    return c != null
        && c.confirmedAt != NEVER
        && ticker.read() - c.confirmedAt < permissionTtlNanos;
  }

  void store(UserRef user, UserMetadata snapshot) {
    snapshots.put(user, snapshot);
  }

  void invalidate(UserRef user) {
    snapshots.invalidate(user);
  }

  void invalidateIf(BiPredicate<UserRef, UserMetadata> which) {
    snapshots.asMap().entrySet().removeIf(e -> which.test(e.getKey(), e.getValue()));
  }

  void invalidateAll() {
    snapshots.invalidateAll();
  }

  /** A stamp to take when an upstream call starts, for {@link #confirm}. */
  long stamp() {
    return stamps.incrementAndGet();
  }

  /** ZITADEL accepted {@code credential} for {@code user} in a call that began at {@code stamp}. */
  void confirm(String credential, UserRef user, long stamp) {
    confirmations
        .asMap()
        .compute(
            new Grant(credential, user),
            (k, old) -> {
              long rejected = old == null ? NEVER : old.rejectedStamp;
              return stamp > rejected ? new Confirmation(ticker.read(), rejected) : old;
            });
  }

  /** ZITADEL refused {@code credential} for {@code user} (401 or 403): no cached reads for it. */
  void reject(String credential, UserRef user) {
    confirmations.put(new Grant(credential, user), new Confirmation(NEVER, stamp()));
  }

  @Override
  public long hits() {
    return hits.sum();
  }

  @Override
  public long misses() {
    return misses.sum();
  }

  @Override
  public long evictions() {
    return snapshots.stats().evictionCount();
  }

  @Override
  public long weightedBytes() {
    return snapshots.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }
}
