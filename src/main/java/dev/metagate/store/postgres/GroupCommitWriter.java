package dev.metagate.store.postgres;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.Errors;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserMetadataCache;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import dev.metagate.store.CommitObserver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit against PostgreSQL, without a thread of its own.
 *
 * <p>Design: callers enqueue commands into a bounded FIFO (bounded by entries, like SQLite's) and
 * get a future. One Vert.x context owns the draining: it takes everything queued, up to {@code
 * batchMaxSize} entries, and runs it as one transaction on a pooled connection ({@link
 * BatchTransaction}: two pipelined round trips whatever the batch size); only one batch is in
 * flight per instance, so requests that arrive meanwhile form the next batch, and writes to a user
 * apply in the order they were accepted. After COMMIT returns (PostgreSQL has flushed the WAL), the
 * cache is updated and the futures completed: nothing is acknowledged or cached before it is
 * durable. A command that cannot apply fails alone. If the transaction fails it is rolled back and
 * every request in it fails with UNAVAILABLE; an unknown outcome (connection lost during COMMIT) is
 * also UNAVAILABLE, never an acknowledgement.
 *
 * <p>Several instances writing one database: each transaction locks its users' rows ({@code INSERT
 * … ON CONFLICT DO NOTHING}, then {@code SELECT … FOR UPDATE}) before reading their keys, in one
 * global order (sorted by org and user), so two instances' batches on a user serialize and never
 * wait for each other in a cycle. Under READ COMMITTED the reads after the lock see the previous
 * holder's committed writes, so per-user sequences stay gapless and bulks atomic. Row locks were
 * chosen over SERIALIZABLE: batches of unrelated users never abort each other, and there is nothing
 * to retry in the common case. Deadlocks and serialization failures (40P01, 40001), which only
 * unusual schemas or isolation settings produce, are still retried a few times.
 */
final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_ATTEMPTS = 3;

  private final Context context;
  private final Pool pool;
  private final PostgresOptions options;
  private final Clock clock;
  private final UserMetadataCache cache;
  private final CommitObserver observer;
  private final Reachability reachability;

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private int queuedEntries;
  private boolean closed;
  private boolean draining;
  private int lastBatchRequests;

  GroupCommitWriter(
      Context context,
      Pool pool,
      PostgresOptions options,
      Clock clock,
      UserMetadataCache cache,
      CommitObserver observer,
      Reachability reachability) {
    this.context = context;
    this.pool = pool;
    this.options = options;
    this.clock = clock;
    this.cache = cache;
    this.observer = observer;
    this.reachability = reachability;
  }

  /** Queues a command; fails at once with UNAVAILABLE when the queue is full or closed. */
  CompletableFuture<CommittedWrite> submit(UserRef user, WriteCommand command) {
    Pending p = new Pending(user, command, new CompletableFuture<>());
    boolean start;
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(Errors.storeUnavailable());
      }
      int n = command.entryCount();
      if (!queue.isEmpty() && queuedEntries + n > options.maxQueue()) {
        return CompletableFuture.failedFuture(Errors.queueFull());
      }
      queue.addLast(p);
      queuedEntries += n;
      start = !draining;
      draining = true;
    } finally {
      lock.unlock();
    }
    if (start) {
      context.runOnContext(v -> next());
    }
    return p.result();
  }

  int queuedEntries() {
    lock.lock();
    try {
      return queuedEntries;
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting; completes once everything queued has been committed or failed. */
  CompletableFuture<Void> close() {
    lock.lock();
    try {
      closed = true;
      if (!draining) {
        drained.complete(null);
      }
    } finally {
      lock.unlock();
    }
    return drained;
  }

  /** On the context: commits the next batch, or goes idle when the queue is empty. */
  private void next() {
    List<Pending> batch = new ArrayList<>();
    int entries = take(batch, 0);
    if (batch.isEmpty()) {
      return;
    }
    long delayMs = options.batchMaxDelay().toMillis();
    if (entries < options.batchMaxSize() && lastBatchRequests > 1 && delayMs > 0) {
      context
          .owner()
          .setTimer(
              delayMs,
              t -> {
                take(batch, entries);
                commit(batch, 1, System.nanoTime());
              });
    } else {
      commit(batch, 1, System.nanoTime());
    }
  }

  /** Moves queued requests into {@code batch} while they fit; marks the writer idle if none. */
  private int take(List<Pending> batch, int entries) {
    lock.lock();
    try {
      while (!queue.isEmpty()) {
        int n = queue.peekFirst().command().entryCount();
        if (!batch.isEmpty() && entries + n > options.batchMaxSize()) {
          break;
        }
        queuedEntries -= n;
        entries += n;
        batch.add(queue.pollFirst());
      }
      if (batch.isEmpty()) {
        draining = false;
        if (closed) {
          drained.complete(null);
        }
      }
      return entries;
    } finally {
      lock.unlock();
    }
  }

  private void commit(List<Pending> batch, int attempt, long started) {
    lastBatchRequests = batch.size();
    long now = micros(clock.instant());
    pool.withConnection(
            conn ->
                BatchTransaction.run(conn, batch, now)
                    .recover(
                        err ->
                            conn.query("ROLLBACK")
                                .execute()
                                .transform(x -> Future.<List<Object>>failedFuture(err))))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                reachability.succeeded();
                observer.committed(entries(batch), System.nanoTime() - started);
                answer(batch, ar.result());
              } else if (Failures.retryable(ar.cause()) && attempt < MAX_ATTEMPTS) {
                commit(batch, attempt + 1, started);
                return;
              } else {
                fail(batch, ar.cause());
              }
              next();
            });
  }

  private void answer(List<Pending> batch, List<Object> outcomes) {
    for (Object o : outcomes) {
      if (o instanceof CommittedWrite w && !w.changes().isEmpty()) {
        try {
          cache.committed(w);
        } catch (RuntimeException e) {
          LOG.error("commit listener failed: {}", e.toString());
        }
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Object o = outcomes.get(i);
      if (o instanceof CommittedWrite w) {
        batch.get(i).result().complete(w);
      } else {
        batch.get(i).result().completeExceptionally((MetagateException) o);
      }
    }
  }

  private void fail(List<Pending> batch, Throwable cause) {
    if (Failures.outage(cause)) {
      reachability.failed(cause);
    } else if (!Failures.overload(cause)) {
      LOG.error(
          "commit of {} requests failed, rolled back: {}", batch.size(), Failures.describe(cause));
    }
    batch.forEach(p -> p.result().completeExceptionally(Errors.storeUnavailable()));
  }

  private static int entries(List<Pending> batch) {
    int n = 0;
    for (Pending p : batch) {
      n += p.command().entryCount();
    }
    return n;
  }

  static long micros(Instant t) {
    return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1_000;
  }
}
