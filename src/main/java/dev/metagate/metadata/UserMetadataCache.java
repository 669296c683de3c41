package dev.metagate.metadata;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Per-user snapshots of metadata, derived from the store. Updated only from committed writes, so a
 * reader never sees a value that could still be lost.
 */
public interface UserMetadataCache {
  /** The cached snapshot, or the loader's result shared by all concurrent misses of the user. */
  CompletionStage<UserMetadata> get(
      UserRef user, Function<UserRef, CompletionStage<UserMetadata>> loader);

  /** Applies a committed write to the cached snapshot; called before the writer is answered. */
  void committed(CommittedWrite write);

  /**
   * Another writer committed {@code sequence} for {@code user} (another instance on a shared
   * database): a snapshot that is older, or still loading, is dropped.
   */
  void changed(UserRef user, long sequence);

  /** Drops every snapshot, e.g. after change notifications may have been missed. */
  void invalidateAll();

  /**
   * While on, reads go to the loader and nothing is kept: used while change notifications cannot be
   * received, so nothing cached could go stale unnoticed.
   */
  void bypass(boolean on);

  /** Bytes currently held. */
  long weightedBytes();
}
