package dev.metagate.store.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Versioned schema in PostgreSQL, tracked in the one-row table {@code metagate_schema}. Migrations
 * run at start under a session advisory lock, so instances starting together apply each migration
 * once; each migration is its own transaction. A database written by a newer metagate is refused.
 * Table names carry a {@code metagate_} prefix because the database may be shared.
 */
final class Schema {
  /** An arbitrary constant that names metagate's migration lock among other advisory locks. */
  static final long MIGRATION_LOCK = 0x6d65746167617465L; // "metagate"

  /** Migration i brings the database from version i to i + 1. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              """
              CREATE TABLE metagate_users (
                org_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                sequence BIGINT NOT NULL,
                change_micros BIGINT NOT NULL,
                PRIMARY KEY (org_id, user_id)
              )""",
              """
              CREATE TABLE metagate_metadata (
                org_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                key TEXT NOT NULL,
                value BYTEA NOT NULL,
                sequence BIGINT NOT NULL,
                creation_micros BIGINT NOT NULL,
                change_micros BIGINT NOT NULL,
                PRIMARY KEY (org_id, user_id, key)
              )"""));

  static final int CURRENT_VERSION = MIGRATIONS.size();

  private Schema() {}

  /** Brings the database to {@link #CURRENT_VERSION}; fails if it is newer. */
  static Future<Void> migrate(SqlConnection conn) {
    return conn.query("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")")
        .execute()
        .compose(
            x ->
                conn.query("CREATE TABLE IF NOT EXISTS metagate_schema (version INTEGER NOT NULL)")
                    .execute())
        .compose(x -> version(conn))
        .compose(v -> migrateFrom(conn, v))
        .eventually(
            () -> conn.query("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")").execute());
  }

  static Future<Integer> version(SqlConnection conn) {
    return conn.query("SELECT max(version) FROM metagate_schema")
        .execute()
        .map(
            rows -> {
              Row r = rows.iterator().next();
              Integer v = r.getInteger(0);
              return v == null ? 0 : v;
            });
  }

  private static Future<Void> migrateFrom(SqlConnection conn, int version) {
    if (version > CURRENT_VERSION) {
      return Future.failedFuture(
          new IllegalStateException(
              "database schema version "
                  + version
                  + " is newer than this metagate supports ("
                  + CURRENT_VERSION
                  + "); refusing to use it"));
    }
    if (version == CURRENT_VERSION) {
      return Future.succeededFuture();
    }
    return conn.begin()
        .compose(
            tx -> {
              Future<?> f = Future.succeededFuture();
              for (String sql : MIGRATIONS.get(version)) {
                f = f.compose(x -> conn.query(sql).execute());
              }
              return f.compose(x -> conn.query("DELETE FROM metagate_schema").execute())
                  .compose(
                      x ->
                          conn.query("INSERT INTO metagate_schema VALUES (" + (version + 1) + ")")
                              .execute())
                  .compose(x -> tx.commit());
            })
        .compose(x -> migrateFrom(conn, version + 1));
  }
}
