package dev.metagate.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * The cache and coalescing of upstream mode: bytes of snapshots held, how long a snapshot is used
 * ({@code cacheTtl}), how long ZITADEL's acceptance of a credential is trusted ({@code
 * permissionTtl}), the entries ({@code batchMaxSize}) and wait ({@code batchMaxDelay}) of a merged
 * upstream write, the entries waiting in all write lanes at most ({@code batchMaxQueue}), and how
 * often ZITADEL's events are polled ({@code eventsInterval}, null: never) as whom ({@code
 * eventsAs}, metagate's own credential).
 */
public record SidecarOptions(
    long cacheMaxBytes,
    Duration cacheTtl,
    Duration permissionTtl,
    int batchMaxSize,
    Duration batchMaxDelay,
    int batchMaxQueue,
    Duration eventsInterval,
    ServiceCredential eventsAs) {
  public SidecarOptions {
    Objects.requireNonNull(cacheTtl);
    Objects.requireNonNull(permissionTtl);
    Objects.requireNonNull(batchMaxDelay);
    if (cacheMaxBytes < 0 || batchMaxSize < 1 || batchMaxQueue < 1) {
      throw new IllegalArgumentException("cache bytes must be >= 0, batch size and queue >= 1");
    }
    if (eventsInterval != null && eventsAs == null) {
      throw new IllegalArgumentException("polling events needs metagate's own credential");
    }
  }
}
