package dev.metagate.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.UserMetadataCache;

/** Factories for the per-user metadata cache. */
public final class UserCaches {
  private UserCaches() {}

  /**
   * A cache bounded by {@code maxBytes} of weighed snapshots; a snapshot over budget is not kept.
   */
  public static CaffeineUserCache bounded(long maxBytes, Ticker ticker) {
    return new CaffeineUserCache(maxBytes, ticker);
  }

  /** The same, on the system ticker. */
  public static UserMetadataCache bounded(long maxBytes) {
    return bounded(maxBytes, Ticker.systemTicker());
  }
}
