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

  /** Bytes currently held. */
  long weightedBytes();
}
