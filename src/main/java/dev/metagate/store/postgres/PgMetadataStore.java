package dev.metagate.store.postgres;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Joins the group-commit writer, the snapshot loader and the change listener behind one store. It
 * counts as open while it accepts work and the database answers.
 */
final class PgMetadataStore implements MetadataStore {
  private final Vertx vertx;
  private final Pool pool;
  private final GroupCommitWriter writer;
  private final SnapshotLoader loader;
  private final ChangeListener listener;
  private final Reachability reachability;
  private volatile boolean open = true;
  private CompletableFuture<Void> closing;

  PgMetadataStore(
      Vertx vertx,
      Pool pool,
      GroupCommitWriter writer,
      SnapshotLoader loader,
      ChangeListener listener,
      Reachability reachability) {
    this.vertx = vertx;
    this.pool = pool;
    this.writer = writer;
    this.loader = loader;
    this.listener = listener;
    this.reachability = reachability;
  }

  @Override
  public CompletionStage<CommittedWrite> write(UserRef user, WriteCommand command) {
    return writer.submit(user, command);
  }

  @Override
  public CompletionStage<UserMetadata> load(UserRef user) {
    return loader.load(user);
  }

  @Override
  public int queuedEntries() {
    return writer.queuedEntries();
  }

  @Override
  public boolean isOpen() {
    return open && reachability.up();
  }

  /** True while other instances' changes are being received (the cache is in use). */
  @Override
  public boolean cacheCoherent() {
    return listener.listening();
  }

  @Override
  public synchronized CompletionStage<Void> close() {
    if (closing == null) {
      open = false;
      closing =
          writer
              .close()
              .thenCompose(
                  x -> {
                    reachability.stop(vertx);
                    listener.close();
                    return pool.close().toCompletionStage();
                  });
    }
    return closing;
  }
}
