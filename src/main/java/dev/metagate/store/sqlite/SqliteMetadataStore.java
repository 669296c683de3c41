package dev.metagate.store.sqlite;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Joins the group-commit writer thread and the snapshot reader threads behind one store. */
final class SqliteMetadataStore implements MetadataStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteMetadataStore.class);

  private final Connection writerConn;
  private final GroupCommitWriter writer;
  private final SnapshotReader reader;
  private final Thread writerThread;
  private volatile boolean open = true;

  SqliteMetadataStore(Connection writerConn, GroupCommitWriter writer, SnapshotReader reader) {
    this.writerConn = writerConn;
    this.writer = writer;
    this.reader = reader;
    this.writerThread = new Thread(writer, "metagate-sqlite-writer");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  @Override
  public CompletionStage<CommittedWrite> write(UserRef user, WriteCommand command) {
    return writer.submit(user, command);
  }

  @Override
  public CompletionStage<UserMetadata> load(UserRef user) {
    return reader.load(user);
  }

  @Override
  public int queuedEntries() {
    return writer.queuedEntries();
  }

  /** Commits made by the writer; package-private so tests can see batching without a metric. */
  long commits() {
    return writer.commits();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public CompletionStage<Void> close() {
    if (!open) {
      return CompletableFuture.completedFuture(null);
    }
    open = false;
    writer.close();
    return CompletableFuture.runAsync(
        this::awaitWriterAndClose, r -> new Thread(r, "metagate-sqlite-close").start());
  }

  private void awaitWriterAndClose() {
    try {
      writerThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
    try {
      writerConn.close();
    } catch (SQLException e) {
      LOG.warn("closing the database failed: {}", e.getMessage());
    }
  }
}
