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
 * Group commit, counted instead of timed: the writer is held inside its first commit (its commit
 * listener runs on the writer thread) while many threads queue single-key sets, then released. The
 * number of commits that follow is then exact, whatever the machine's speed.
 */
@ExtendWith(Invariants.class)
class ConcurrentSetsBatchingTest {
  private static final int THREADS = 8;
  private static final int SETS_PER_THREAD = 25;
  private static final int REQUESTS = THREADS * SETS_PER_THREAD;
  private static final UserRef GATE_USER = new UserRef("org", "gate");

  @TempDir Path dir;

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean gateArmed = new AtomicBoolean(true);
  private SqliteMetadataStore store;

  @AfterEach
  void close() throws Exception {
    release.countDown();
    if (store != null) {
      store.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentSingleKeySets_queuedDuringACommit_shareOneCommit() throws Exception {
    open(1000);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();

    assertThat(acks).allMatch(f -> !f.isDone());
    release.countDown();
    awaitAll(acks);

    assertThat(store.commits()).isEqualTo(2); // the held commit, then all the queued sets at once
    assertEverySetIsStored();
  }

  @Test
  void batchMaxSize_boundsTheEntriesOfOneCommit() throws Exception {
    open(100);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();

    release.countDown();
    awaitAll(acks);

    assertThat(store.commits()).isEqualTo(1 + REQUESTS / 100);
    assertEverySetIsStored();
  }

  @Test
  void batchMaxSizeOne_commitsEveryRequestAlone() throws Exception {
    open(1);
    List<CompletableFuture<CommittedWrite>> acks = holdWriterWhileThreadsQueueSets();

    release.countDown();
    awaitAll(acks);

    assertThat(store.commits()).isEqualTo(1 + REQUESTS);
    assertEverySetIsStored();
  }

  @Test
  void bulkLargerThanBatchMaxSize_isCommittedWholeOnItsOwn() throws Exception {
    gateArmed.set(false);
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
    SqliteOptions options =
        new SqliteOptions(dir.resolve("batch.db"), batchMaxSize, Duration.ofMillis(1), 100_000, 1);
    store = (SqliteMetadataStore) SqliteStore.open(options, Clock.systemUTC(), this::holdFirst);
  }

  /** The commit listener: blocks the writer thread in the first commit until released. */
  private void holdFirst(CommittedWrite w) {
    if (gateArmed.compareAndSet(true, false)) {
      held.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the held commit, then queues {@link #REQUESTS} single-key sets from many threads. */
  private List<CompletableFuture<CommittedWrite>> holdWriterWhileThreadsQueueSets()
      throws InterruptedException {
    CompletableFuture<CommittedWrite> gate = set(GATE_USER, "k", "v");
    assertThat(held.await(10, TimeUnit.SECONDS)).as("writer held in its first commit").isTrue();
    List<CompletableFuture<CommittedWrite>> acks = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < SETS_PER_THREAD; i++) {
                  acks.add(set(user(thread, i), "k", "t" + thread + "-" + i));
                }
              },
              "batching-client-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    // the writer is still inside the first commit: every set is queued, none acknowledged
    assertThat(store.queuedEntries()).isEqualTo(REQUESTS);
    assertThat(gate).isNotDone();
    acks.add(gate);
    return acks;
  }

  private void assertEverySetIsStored() throws Exception {
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < SETS_PER_THREAD; i++) {
        UserMetadata m = load(user(t, i));
        assertThat(new String(m.get("k").value(), StandardCharsets.UTF_8))
            .isEqualTo("t" + t + "-" + i);
        assertThat(m.sequence()).isEqualTo(1);
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
