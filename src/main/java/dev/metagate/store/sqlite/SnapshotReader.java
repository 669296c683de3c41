package dev.metagate.store.sqlite;

import dev.metagate.metadata.Errors;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a user's full metadata in one read transaction, on a small pool of named threads that each
 * own a read-only connection (WAL lets them read while the writer commits).
 */
final class SnapshotReader {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);
  private static final int MAX_QUEUED_LOADS = 10_000;

  private final Path file;
  private final ThreadPoolExecutor pool;
  private final ThreadLocal<Connection> connection = new ThreadLocal<>();
  private final List<Connection> opened = new CopyOnWriteArrayList<>();

  SnapshotReader(Path file, int threads) {
    this.file = file;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED_LOADS),
            r -> {
              Thread t = new Thread(r, "metagate-sqlite-reader-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  CompletableFuture<UserMetadata> load(UserRef user) {
    try {
      return CompletableFuture.supplyAsync(() -> read(user), pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(Errors.storeUnavailable());
    }
  }

  private UserMetadata read(UserRef user) {
    try {
      Connection conn = connection();
      try {
        return read(conn, user);
      } finally {
        conn.rollback();
      }
    } catch (SQLException e) {
      LOG.error("reading metadata failed: {}", e.toString());
      throw Errors.storeUnavailable();
    }
  }

  private static UserMetadata read(Connection conn, UserRef user) throws SQLException {
    long sequence = 0;
    long lastChange = 0;
    try (PreparedStatement st =
        conn.prepareStatement(
            "SELECT sequence, change_micros FROM users WHERE org_id = ? AND user_id = ?")) {
      st.setString(1, user.orgId());
      st.setString(2, user.userId());
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          sequence = rs.getLong(1);
          lastChange = rs.getLong(2);
        }
      }
    }
    List<MetadataEntry> entries = new ArrayList<>();
    try (PreparedStatement st =
        conn.prepareStatement(
            "SELECT key, value, sequence, creation_micros, change_micros FROM metadata"
                + " WHERE org_id = ? AND user_id = ?")) {
      st.setString(1, user.orgId());
      st.setString(2, user.userId());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          entries.add(
              new MetadataEntry(
                  rs.getString(1), rs.getBytes(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        }
      }
    }
    return UserMetadata.of(user, sequence, lastChange, entries);
  }

  private Connection connection() throws SQLException {
    Connection c = connection.get();
    if (c == null) {
      c = Connections.open(file, true);
      connection.set(c);
      opened.add(c);
    }
    return c;
  }

  void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : opened) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.warn("closing a reader connection failed: {}", e.getMessage());
      }
    }
  }
}
