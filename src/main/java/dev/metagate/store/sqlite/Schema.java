package dev.metagate.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema of the SQLite file, tracked in {@code PRAGMA user_version}. Migrations run in
 * order at start, each in its own transaction; a file written by a newer metagate is refused.
 */
final class Schema {
  /** Migration i brings the file from version i to i + 1. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              """
              CREATE TABLE users (
                org_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                change_micros INTEGER NOT NULL,
                PRIMARY KEY (org_id, user_id)
              ) WITHOUT ROWID""",
              """
              CREATE TABLE metadata (
                org_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                key TEXT NOT NULL,
                value BLOB NOT NULL,
                sequence INTEGER NOT NULL,
                creation_micros INTEGER NOT NULL,
                change_micros INTEGER NOT NULL,
                PRIMARY KEY (org_id, user_id, key)
              )"""));

  static final int CURRENT_VERSION = MIGRATIONS.size();

  private Schema() {}

  static void migrate(Connection conn) throws SQLException {
    int version = version(conn);
    if (version > CURRENT_VERSION) {
      throw new SQLException(
          "database schema version "
              + version
              + " is newer than this metagate supports ("
              + CURRENT_VERSION
              + "); refusing to open it");
    }
    for (int v = version; v < CURRENT_VERSION; v++) {
      try (Statement st = conn.createStatement()) {
        for (String sql : MIGRATIONS.get(v)) {
          st.execute(sql);
        }
        st.execute("PRAGMA user_version = " + (v + 1));
      }
      conn.commit();
    }
  }

  static int version(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
