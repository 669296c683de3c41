package dev.metagate.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * The cache and coalescing of upstream mode: bytes of snapshots held, how long a snapshot is used
 * ({@code cacheTtl}), how long ZITADEL's acceptance of a credential is trusted ({@code
 * permissionTtl}), and the entries ({@code batchMaxSize}) and wait ({@code batchMaxDelay}) of a
 * merged upstream write.
 */
public record SidecarOptions(
    long cacheMaxBytes,
    Duration cacheTtl,
    Duration permissionTtl,
    int batchMaxSize,
    Duration batchMaxDelay) {
  public SidecarOptions {
    Objects.requireNonNull(cacheTtl);
    Objects.requireNonNull(permissionTtl);
    Objects.requireNonNull(batchMaxDelay);
    if (cacheMaxBytes < 0 || batchMaxSize < 1) {
      throw new IllegalArgumentException("cache bytes must be >= 0 and batch size >= 1");
    }
  }
}
