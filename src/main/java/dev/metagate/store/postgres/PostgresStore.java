package dev.metagate.store.postgres;

import dev.metagate.metadata.MetadataStore;
import dev.metagate.metadata.UserMetadataCache;
import dev.metagate.store.CommitObserver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL implementation of {@link MetadataStore}, for several metagate instances sharing
 * one database: reactive client (nothing blocks an event loop), group commit, per-user row locks,
 * and change notifications that keep every instance's cache coherent.
 */
public final class PostgresStore {
  /** Loads that may wait for a pooled connection before new ones are refused (503). */
  private static final int MAX_WAITING = 10_000;

  private PostgresStore() {}

  /**
   * Connects, applies pending schema migrations (under an advisory lock), and starts the writer and
   * the change listener. {@code cache} is updated after each commit, told of other instances'
   * changes, and bypassed while those cannot be received.
   */
  public static Future<MetadataStore> open(
      Vertx vertx,
      PostgresOptions options,
      Clock clock,
      UserMetadataCache cache,
      CommitObserver observer) {
    PgConnectOptions connect;
    try {
      connect = connectOptions(options);
    } catch (IllegalArgumentException e) {
      // the message could echo the URL and its password
      return Future.failedFuture(new IllegalArgumentException("store.url is not a valid URL"));
    }
    return PgConnection.connect(vertx, connect)
        .compose(conn -> Schema.migrate(conn).eventually(conn::close))
        .map(x -> start(vertx, connect, options, clock, cache, observer));
  }

  private static MetadataStore start(
      Vertx vertx,
      PgConnectOptions connect,
      PostgresOptions options,
      Clock clock,
      UserMetadataCache cache,
      CommitObserver observer) {
    long timeoutMs = options.statementTimeout().toMillis();
    Pool pool =
        PgBuilder.pool()
            .with(
                new PoolOptions()
                    .setName("metagate-postgres")
                    .setMaxSize(options.maxConnections())
                    .setMaxWaitQueueSize(MAX_WAITING)
                    .setConnectionTimeout((int) Math.max(1, timeoutMs))
                    .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
            .connectingTo(connect)
            .using(vertx)
            .build();
    Reachability reachability = new Reachability();
    reachability.start(vertx, pool, timeoutMs);
    ChangeListener listener = new ChangeListener(vertx, connect, cache);
    listener.start();
    Context context = vertx.getOrCreateContext();
    GroupCommitWriter writer =
        new GroupCommitWriter(context, pool, options, clock, cache, observer, reachability);
    return new PgMetadataStore(
        vertx, pool, writer, new SnapshotLoader(pool, reachability), listener, reachability);
  }

  static PgConnectOptions connectOptions(PostgresOptions options) {
    return PgConnectOptions.fromUri(options.url())
        // the same few statements run all the time: parse each once per connection
        .setCachePreparedStatements(true)
        .addProperty("application_name", "metagate")
        // "already exists, skipping" notices would otherwise be logged as warnings
        .addProperty("client_min_messages", "warning")
        .addProperty("statement_timeout", Long.toString(options.statementTimeout().toMillis()));
  }
}
