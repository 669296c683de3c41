package dev.metagate.store.sqlite;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.Errors;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import dev.metagate.store.CommitObserver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that writes to SQLite, with group commit.
 *
 * <p>Design: callers enqueue commands into a bounded FIFO (bounded by entries, not requests) and
 * get a future. The writer takes everything queued, up to {@code batchMaxSize} entries, applies
 * each command in order inside one transaction and commits once; the commit is the fsync. Only then
 * are the commit listener (the cache's write-through) and the futures completed, so nothing is
 * acknowledged or cached before it is durable. A command that cannot apply fails alone, without
 * having written anything. Requests that arrive during a commit wait for the next one, which is
 * what shares one fsync among many requests under load; with a single client there is nothing to
 * wait for and latency is one fsync. The writer waits up to {@code batchMaxDelay} for company only
 * when it found a lone request although the previous commit held several: the first of a group is
 * likely to be followed by the rest. Requests it finds queued are committed at once: waiting for
 * one more arrival after them held the writer idle, which cost 15 to 30% of the durable write rate
 * at 16 to 256 clients (bench/results/2026-11-28-session5.md). If a commit fails, the transaction
 * is rolled back and every request in it fails with UNAVAILABLE: none of them was applied.
 *
 * <p>The futures are completed where their callers run, not on this thread: each request names its
 * caller's executor when queued (an event loop), and after a commit the writer hands each executor
 * one task that completes all of its requests. What callers chained to the futures (rendering the
 * answer, resuming the request) then runs on their own threads, and an event loop is woken once per
 * commit instead of once per request; this thread, whose time bounds the write rate, only writes. A
 * request without an executor is completed here, as before.
 */
final class GroupCommitWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final Connection conn;
  private final WriteApplier applier;
  private final SqliteOptions options;
  private final Clock clock;
  private final Consumer<CommittedWrite> onCommit;
  private final CommitObserver observer;
  private final Supplier<Caller> callers;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workArrived = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int queuedEntries;
  private boolean closed;
  private int lastBatchRequests;
  private final AtomicLong commits = new AtomicLong();

  GroupCommitWriter(
      Connection conn,
      SqliteOptions options,
      Clock clock,
      Consumer<CommittedWrite> onCommit,
      CommitObserver observer)
      throws SQLException {
    this(conn, options, clock, onCommit, observer, () -> null);
  }

  /**
   * As above; {@code callers} names, on the submitting thread, the caller whose thread completes
   * that request's future (null: the writer thread completes it).
   */
  GroupCommitWriter(
      Connection conn,
      SqliteOptions options,
      Clock clock,
      Consumer<CommittedWrite> onCommit,
      CommitObserver observer,
      Supplier<Caller> callers)
      throws SQLException {
    this.conn = conn;
    this.callers = callers;
    this.applier = new WriteApplier(conn);
    this.options = options;
    this.clock = clock;
    this.onCommit = onCommit;
    this.observer = observer;
  }

  /** Queues a command; fails at once with UNAVAILABLE when the queue is full or closed. */
  CompletableFuture<CommittedWrite> submit(UserRef user, WriteCommand command) {
    Pending p = new Pending(user, command, new CompletableFuture<>(), callers.get());
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
      workArrived.signal();
    } finally {
      lock.unlock();
    }
    return p.result;
  }

  int queuedEntries() {
    lock.lock();
    try {
      return queuedEntries;
    } finally {
      lock.unlock();
    }
  }

  /** Transactions committed so far: with group commit, far fewer than requests under load. */
  long commits() {
    return commits.get();
  }

  /** Stops accepting; the writer commits what is queued and then returns from {@link #run()}. */
  void close() {
    lock.lock();
    try {
      closed = true;
      workArrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    try {
      List<Pending> batch;
      while ((batch = takeBatch()) != null) {
        commit(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      failRemaining();
      try {
        applier.close();
      } catch (SQLException e) {
        LOG.warn("closing statements failed: {}", e.getMessage());
      }
    }
  }

  private List<Pending> takeBatch() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        workArrived.await();
      }
      if (queue.isEmpty()) {
        return null;
      }
      List<Pending> batch = new ArrayList<>();
      int entries = drainInto(batch, 0);
      long delay = options.batchMaxDelay().toNanos();
      if (batch.size() == 1
          && entries < options.batchMaxSize()
          && lastBatchRequests > 1
          && delay > 0
          && !closed) {
        workArrived.awaitNanos(delay);
        drainInto(batch, entries);
      }
      lastBatchRequests = batch.size();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Moves queued requests into {@code batch} while they fit; always takes at least one. */
  private int drainInto(List<Pending> batch, int entries) {
    while (!queue.isEmpty()) {
      int n = queue.peekFirst().command.entryCount();
      if (!batch.isEmpty() && entries + n > options.batchMaxSize()) {
        break;
      }
      Pending p = queue.pollFirst();
      queuedEntries -= n;
      entries += n;
      batch.add(p);
    }
    return entries;
  }

  private void commit(List<Pending> batch) {
    long started = System.nanoTime();
    long now = micros(clock.instant());
    List<Object> outcomes = new ArrayList<>(batch.size());
    try {
      for (Pending p : batch) {
        outcomes.add(applyOne(p, now));
      }
      conn.commit();
      commits.incrementAndGet();
      observer.committed(entries(batch), System.nanoTime() - started);
    } catch (SQLException | RuntimeException e) {
      LOG.error("commit of {} requests failed, rolled back: {}", batch.size(), e.toString());
      rollback();
      outcomes.clear();
      batch.forEach(p -> outcomes.add(Errors.storeUnavailable()));
      Completions.deliver(batch, outcomes);
      return;
    }
    for (Object o : outcomes) {
      if (o instanceof CommittedWrite w) {
        notifyCommitted(w);
      }
    }
    Completions.deliver(batch, outcomes);
  }

  private static int entries(List<Pending> batch) {
    int n = 0;
    for (Pending p : batch) {
      n += p.command.entryCount();
    }
    return n;
  }

  /** The committed write, or the MetagateException that kept this command from applying. */
  private Object applyOne(Pending p, long now) throws SQLException {
    try {
      return applier.apply(p.user, p.command, now);
    } catch (MetagateException e) {
      return e;
    }
  }

  private void notifyCommitted(CommittedWrite w) {
    try {
      onCommit.accept(w);
    } catch (RuntimeException e) {
      LOG.error("commit listener failed: {}", e.toString());
    }
  }

  private void rollback() {
    applier.forgetUserStates();
    try {
      conn.rollback();
    } catch (SQLException e) {
      LOG.error("rollback failed: {}", e.toString());
    }
  }

  private void failRemaining() {
    lock.lock();
    try {
      closed = true;
      Pending p;
      while ((p = queue.pollFirst()) != null) {
        p.result.completeExceptionally(Errors.storeUnavailable());
      }
      queuedEntries = 0;
    } finally {
      lock.unlock();
    }
  }

  static long micros(Instant t) {
    return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1_000;
  }

  /** A queued request; its future is completed on {@code caller}'s thread (null: this one). */
  record Pending(
      UserRef user,
      WriteCommand command,
      CompletableFuture<CommittedWrite> result,
      Caller caller) {}
}
