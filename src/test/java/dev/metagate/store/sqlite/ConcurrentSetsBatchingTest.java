package dev.metagate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import dev.metagate.testing.Invariants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit, counted instead of timed: the writer is held inside a commit (its commit listener
 * runs on the writer thread, and holds it when it reaches the write of a chosen user) while many
 * threads queue single-key sets, then released. The number of commits that follow is then exact,
 * whatever the machine's speed. Waits for company use a {@code batch.maxDelay} of an hour, so a
 * wait that should not happen shows as a timeout and one that should cannot end by itself.
 */
@ExtendWith(Invariants.class)
class ConcurrentSetsBatchingTest {
  private static final int THREADS = 8;
  private static final int SETS_PER_THREAD = 25;
  private static final int REQUESTS = THREADS * SETS_PER_THREAD;
  private static final UserRef GATE_USER = new UserRef("org", "gate");

  @TempDir Path dir;

  private static final Duration AN_HOUR = Duration.ofHours(1);

  private volatile Hold hold = new Hold(GATE_USER);
  private SqliteMetadataStore store;

  @AfterEach
  void close() throws Exception {
    hold.release.countDown();
    if (store != null) {
      store.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentSingleKeySets_queuedDuringACommit_shareOneCommit() throws Exception {
    open(1000);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();

    assertThat(acks).allMatch(f -> !f.isDone());
    hold.release.countDown();
    awaitAll(acks);

    assertThat(store.commits()).isEqualTo(2); // the held commit, then all the queued sets at once
    assertEverySetIsStored("t", 1);
  }

  @Test
  void setsQueuedAfterABusyCommit_areCommittedWithoutWaitingForMore() throws Exception {
    open(1000, AN_HOUR);
    List<CompletableFuture<CommittedWrite>> first = holdWriterWhileThreadsQueueSets();
    Hold gate = hold;
    hold = new Hold(user(0, 0)); // next, hold the commit of all those queued sets
    gate.release.countDown();
    assertThat(hold.held.await(10, TimeUnit.SECONDS)).as("second commit held").isTrue();

    List<CompletableFuture<CommittedWrite>> second = queueSetsFromThreads("again");
    assertThat(store.queuedEntries()).isEqualTo(REQUESTS);
    hold.release.countDown();
    awaitAll(first);
    awaitAll(second); // a writer that waited for one more request would sit here for an hour

    assertThat(store.commits()).isEqualTo(3);
    assertEverySetIsStored("again", 2);
  }

  @Test
  void aLoneSetAfterABusyCommit_waitsForCompany() throws Exception {
    open(1000, AN_HOUR);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();
    hold.release.countDown();
    awaitAll(acks); // a commit of many sets: more are likely to follow a lone one

    CompletableFuture<CommittedWrite> lone = set(user(0, 0), "k", "lone");
    Thread.sleep(300);
    assertThat(lone).as("waiting for company").isNotDone();
    CompletableFuture<CommittedWrite> company = set(user(0, 1), "k", "company");
    lone.get(10, TimeUnit.SECONDS);
    company.get(10, TimeUnit.SECONDS);

    assertThat(store.commits()).isEqualTo(3); // both in one commit
    assertThat(new String(load(user(0, 0)).get("k").value(), StandardCharsets.UTF_8))
        .isEqualTo("lone");
  }

  @Test
  void aSingleClient_neverWaitsForCompany() throws Exception {
    hold = new Hold(null);
    open(1000, AN_HOUR);

    for (int i = 0; i < 3; i++) {
      set(user(0, 0), "k", "v" + i).get(10, TimeUnit.SECONDS);
    }

    assertThat(store.commits()).isEqualTo(3);
  }

  @Test
  void batchMaxSize_boundsTheEntriesOfOneCommit() throws Exception {
    open(100);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();

    hold.release.countDown();
    awaitAll(acks);

    assertThat(store.commits()).isEqualTo(1 + REQUESTS / 100);
    assertEverySetIsStored("t", 1);
  }

  @Test
  void batchMaxSizeOne_commitsEveryRequestAlone() throws Exception {
    open(1);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();

    hold.release.countDown();
    awaitAll(acks);

    assertThat(store.commits()).isEqualTo(1 + REQUESTS);
    assertEverySetIsStored("t", 1);
  }

  @Test
  void bulkLargerThanBatchMaxSize_isCommittedWholeOnItsOwn() throws Exception {
    hold = new Hold(null);
    open(2);
    UserRef user = new UserRef("org", "bulk");
    List<KeyValue> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(new KeyValue("k" + i, bytes("v" + i)));
    }

    CommittedWrite w =
        store
            .write(user, new WriteCommand.SetKeys(five))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(w.sequence()).isEqualTo(5);
    assertThat(store.commits()).isEqualTo(1);
    assertThat(load(user).size()).isEqualTo(5);
  }

  private void open(int batchMaxSize) throws Exception {
    open(batchMaxSize, Duration.ofMillis(1));
  }

  private void open(int batchMaxSize, Duration batchMaxDelay) throws Exception {
    SqliteOptions options =
        new SqliteOptions(dir.resolve("batch.db"), batchMaxSize, batchMaxDelay, 100_000, 1);
    store = (SqliteMetadataStore) SqliteStore.open(options, Clock.systemUTC(), this::holdAtUser);
  }

  /** The commit listener: blocks the writer thread at the held user's write until released. */
  private void holdAtUser(CommittedWrite w) {
    Hold h = hold;
    if (w.user().equals(h.user) && h.armed.compareAndSet(true, false)) {
      h.held.countDown();
      try {
        h.release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Holds the writer once, in the commit holding a write of {@code user} (null: never). */
  private record Hold(
      UserRef user, AtomicBoolean armed, CountDownLatch held, CountDownLatch release) {
    Hold(UserRef user) {
      this(user, new AtomicBoolean(true), new CountDownLatch(1), new CountDownLatch(1));
    }
  }

  /** Starts the held commit, then queues {@link #REQUESTS} single-key sets from many threads. */
  private List<CompletableFuture<CommittedWrite>> holdWriterWhileThreadsQueueSets()
      throws InterruptedException {
    CompletableFuture<CommittedWrite> gate = set(GATE_USER, "k", "v");
    assertThat(hold.held.await(10, TimeUnit.SECONDS))
        .as("writer held in its first commit")
        .isTrue();
    List<CompletableFuture<CommittedWrite>> acks = queueSetsFromThreads("t");
    // the writer is still inside the first commit: every set is queued, none acknowledged
    assertThat(store.queuedEntries()).isEqualTo(REQUESTS);
    assertThat(gate).isNotDone();
    acks.add(gate);
    return acks;
  }

  /** Queues {@link #REQUESTS} single-key sets from many threads, values starting {@code prefix}. */
  private List<CompletableFuture<CommittedWrite>> queueSetsFromThreads(String prefix)
      throws InterruptedException {
    List<CompletableFuture<CommittedWrite>> acks = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < SETS_PER_THREAD; i++) {
                  acks.add(set(user(thread, i), "k", prefix + thread + "-" + i));
                }
              },
              "batching-client-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    return acks;
  }

  private void assertEverySetIsStored(String prefix, long sequence) throws Exception {
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < SETS_PER_THREAD; i++) {
        UserMetadata m = load(user(t, i));
        assertThat(new String(m.get("k").value(), StandardCharsets.UTF_8))
            .isEqualTo(prefix + t + "-" + i);
        assertThat(m.sequence()).isEqualTo(sequence);
      }
    }
  }

  private CompletableFuture<CommittedWrite> set(UserRef user, String key, String value) {
    return store
        .write(user, new WriteCommand.SetKeys(List.of(new KeyValue(key, bytes(value)))))
        .toCompletableFuture();
  }

  private UserMetadata load(UserRef user) throws Exception {
    return store.load(user).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void awaitAll(List<CompletableFuture<CommittedWrite>> acks) throws Exception {
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
  }

  private static UserRef user(int thread, int i) {
    return new UserRef("org", "u" + thread + "-" + i);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
