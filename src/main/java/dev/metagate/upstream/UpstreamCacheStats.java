package dev.metagate.upstream;

/** The per-user cache of upstream mode as the metrics see it; counts are since start. */
public interface UpstreamCacheStats {
  /** Reads answered from the cache. */
  long hits();

  /** Reads that went upstream: no fresh entry, or a credential not confirmed for the user. */
  long misses();

  long evictions();

  long weightedBytes();
}
