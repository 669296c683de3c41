package dev.metagate.metadata;

import java.util.concurrent.CompletionStage;

/**
 * The durable source of truth for metadata. A write completes only after the transaction that holds
 * it is committed and synced; completion happens off the caller's thread.
 */
public interface MetadataStore {
  /**
   * Applies a validated command atomically, after every write to the same user accepted before it.
   * Fails with {@link MetagateException} (not found, queue full, store unavailable).
   */
  CompletionStage<CommittedWrite> write(UserRef user, WriteCommand command);

  /** Reads a user's full metadata as of the latest commit. */
  CompletionStage<UserMetadata> load(UserRef user);

  /** Entries waiting in the write queue. */
  int queuedEntries();

  /** True while the store accepts work. */
  boolean isOpen();

  /**
   * True while a cache of this store's data may be trusted: always for a store that only this
   * instance writes; for a shared one, while other instances' changes are being received.
   */
  default boolean cacheCoherent() {
    return true;
  }

  /** Stops accepting writes, commits everything queued, then closes the database. */
  CompletionStage<Void> close();
}
