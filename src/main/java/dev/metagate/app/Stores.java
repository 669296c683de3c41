package dev.metagate.app;

import dev.metagate.config.MetagateConfig;
import dev.metagate.config.Sections.Batch;
import dev.metagate.config.Sections.Store;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.metadata.UserMetadataCache;
import dev.metagate.store.CommitObserver;
import dev.metagate.store.postgres.PostgresOptions;
import dev.metagate.store.postgres.PostgresStore;
import dev.metagate.store.sqlite.Caller;
import dev.metagate.store.sqlite.SqliteOptions;
import dev.metagate.store.sqlite.SqliteStore;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Opens the store {@code store.type} names, wired to the cache and the commit metrics. */
final class Stores {
  private static final int READER_THREADS = 2;

  /** How long start waits for PostgreSQL (connect and migrations) before giving up. */
  private static final long POSTGRES_OPEN_SECONDS = 30;

  private Stores() {}

  /**
   * The Vert.x context the current thread runs (a request's own context), as a caller the SQLite
   * writer completes results for on its event loop; null off Vert.x threads.
   */
  static Caller callerContext() {
    ContextInternal context = ContextInternal.current();
    if (context == null || !context.isEventLoopContext()) {
      return null;
    }
    return new Caller(context.nettyEventLoop(), context::dispatch);
  }

  /**
   * Blocks until the store is open, so call it from a plain thread.
   *
   * @throws IllegalStateException when the store cannot be opened
   */
  static MetadataStore open(
      MetagateConfig config,
      Vertx vertx,
      Clock clock,
      UserMetadataCache cache,
      CommitObserver observer) {
    Store store = config.store();
    Batch batch = config.batch();
    if (store.postgres()) {
      PostgresOptions options =
          new PostgresOptions(
              store.url(),
              store.maxConnections(),
              store.statementTimeout(),
              batch.maxSize(),
              batch.maxDelay(),
              batch.maxQueue());
      try {
        return PostgresStore.open(vertx, options, clock, cache, observer)
            .toCompletionStage()
            .toCompletableFuture()
            .get(POSTGRES_OPEN_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot open store: " + e.getCause().getMessage(), e);
      } catch (TimeoutException e) {
        throw new IllegalStateException("cannot open store: PostgreSQL did not answer", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while opening the store", e);
      }
    }
    try {
      return SqliteStore.open(
          new SqliteOptions(
              Path.of(store.path()),
              batch.maxSize(),
              batch.maxDelay(),
              batch.maxQueue(),
              READER_THREADS),
          clock,
          cache::committed,
          observer,
          Stores::callerContext);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open store: " + e.getMessage(), e);
    }
  }
}
