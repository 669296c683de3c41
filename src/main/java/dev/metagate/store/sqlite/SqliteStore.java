package dev.metagate.store.sqlite;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.store.CommitObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The embedded SQLite implementation of {@link MetadataStore}. */
public final class SqliteStore {
  private SqliteStore() {}

  /**
   * Opens (creating if needed) and migrates the database file, then starts the writer and reader
   * threads. {@code onCommit} runs on the writer thread after each commit, before the writer's
   * caller is answered.
   *
   * @throws SQLException when the file cannot be opened or has a newer schema
   */
  public static MetadataStore open(
      SqliteOptions options, Clock clock, Consumer<CommittedWrite> onCommit) throws SQLException {
    return open(options, clock, onCommit, CommitObserver.NONE);
  }

  /** As {@link #open(SqliteOptions, Clock, Consumer)}, telling {@code observer} of each commit. */
  public static MetadataStore open(
      SqliteOptions options,
      Clock clock,
      Consumer<CommittedWrite> onCommit,
      CommitObserver observer)
      throws SQLException {
    return open(options, clock, onCommit, observer, () -> null);
  }

  /**
   * As {@link #open(SqliteOptions, Clock, Consumer, CommitObserver)}; {@code callers}, asked on the
   * thread that submits a write, names the {@link Caller} whose thread completes its result (null:
   * the writer thread). Give callers' event loops here, so the writer thread is not the one that
   * runs what they chained to the result.
   */
  public static MetadataStore open(
      SqliteOptions options,
      Clock clock,
      Consumer<CommittedWrite> onCommit,
      CommitObserver observer,
      Supplier<Caller> callers)
      throws SQLException {
    Path parent = options.path().toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create directory " + parent + ": " + e.getMessage(), e);
    }
    Connection writerConn = Connections.open(options.path(), false);
    try {
      Schema.migrate(writerConn);
      GroupCommitWriter writer =
          new GroupCommitWriter(writerConn, options, clock, onCommit, observer, callers);
      SnapshotReader reader = new SnapshotReader(options.path(), options.readerThreads());
      return new SqliteMetadataStore(writerConn, writer, reader);
    } catch (SQLException | RuntimeException e) {
      writerConn.close();
      throw e;
    }
  }
}
