package dev.metagate.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens SQLite connections with the pragmas durability depends on. */
final class Connections {
  /** The writer's page cache, as a negative KiB count (SQLite's convention). */
  static final int WRITER_CACHE_KIB = -32768;

  private Connections() {}

  /** A connection in WAL mode that fsyncs every commit, with autocommit off. */
  static Connection open(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // the driver would otherwise query last_insert_rowid() after every update; nothing reads it
    config.setGetGeneratedKeys(false);
    Connection conn =
        DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    try (Statement st = conn.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      if (!readOnly) {
        st.execute("PRAGMA journal_mode = WAL");
      }
      st.execute("PRAGMA synchronous = FULL");
      // KiB of page cache; readers only fill the metadata cache, so they get a small one. The
      // writer's is the bench's JDBC baseline's (bench/src/JdbcGroupCommit.java): keep them equal
      st.execute("PRAGMA cache_size = " + (readOnly ? -4096 : WRITER_CACHE_KIB));
      if (readOnly) {
        st.execute("PRAGMA query_only = ON");
      }
    } catch (SQLException e) {
      conn.close();
      throw e;
    }
    conn.setAutoCommit(false);
    return conn;
  }
}
