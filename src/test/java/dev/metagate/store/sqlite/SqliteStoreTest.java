package dev.metagate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
  private static final UserRef U = new UserRef("org", "user");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-25T10:43:58.308Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private MetadataStore open(int maxQueue, Consumer<CommittedWrite> onCommit) throws SQLException {
    return SqliteStore.open(
        new SqliteOptions(dir.resolve("m.db"), 1000, Duration.ofMillis(1), maxQueue, 1),
        CLOCK,
        onCommit);
  }

  private static WriteCommand set(String... kv) {
    List<KeyValue> entries = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      entries.add(new KeyValue(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new WriteCommand.SetKeys(entries);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> s) {
    return s.toCompletableFuture().join();
  }

  @Test
  void write_countsOneEventPerChangedKey_andSkipsUnchangedValues() throws Exception {
    MetadataStore store = open(100, w -> {});
    assertThat(join(store.write(U, set("a", "1", "b", "2"))).sequence()).isEqualTo(2);
    CommittedWrite same = join(store.write(U, set("a", "1", "b", "3")));
    assertThat(same.sequence()).isEqualTo(3);
    assertThat(same.changes()).hasSize(1);
    CommittedWrite nothing = join(store.write(U, set("a", "1")));
    assertThat(nothing.changes()).isEmpty();
    assertThat(nothing.sequence()).isEqualTo(3);
    join(store.close());
  }

  @Test
  void laterDuplicateInOneRequest_wins() throws Exception {
    MetadataStore store = open(100, w -> {});
    join(store.write(U, set("k", "first", "k", "second")));
    UserMetadata m = join(store.load(U));
    assertThat(new String(m.get("k").value(), StandardCharsets.UTF_8)).isEqualTo("second");
    join(store.close());
  }

  @Test
  void bulkRemove_withAMissingKey_removesNothing() throws Exception {
    MetadataStore store = open(100, w -> {});
    join(store.write(U, set("a", "1", "b", "2")));
    assertThatThrownBy(
            () -> join(store.write(U, new WriteCommand.RemoveKeys(List.of("a", "zz"), true))))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            MetagateException.class, e -> assertThat(e.id()).isEqualTo("META-2nnds"));
    assertThat(join(store.load(U)).size()).isEqualTo(2);
    join(store.close());
  }

  @Test
  void dataSurvivesReopening_withCreationAndChangeTimes() throws Exception {
    MetadataStore store = open(100, w -> {});
    join(store.write(U, set("a", "1")));
    join(store.close());
    MetadataStore again = open(100, w -> {});
    UserMetadata m = join(again.load(U));
    assertThat(m.sequence()).isEqualTo(1);
    assertThat(m.get("a").creationMicros()).isEqualTo(1742899438308000L);
    join(again.close());
  }

  @Test
  void fileFromANewerVersion_isRefusedAndLeftAlone() throws Exception {
    join(open(100, w -> {}).close());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> open(100, w -> {}))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("version 99")
        .hasMessageContaining("newer");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"));
        Statement st = c.createStatement()) {
      assertThat(Schema.version(c)).isEqualTo(99);
    }
  }

  @Test
  void fullQueue_failsFastWithUnavailable_andQueuedWritesStillCommit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstCommitted = new CountDownLatch(1);
    // the commit listener runs on the writer thread: holding it keeps the writer busy
    MetadataStore store =
        open(
            1,
            w -> {
              firstCommitted.countDown();
              await(release);
            });
    CompletableFuture<CommittedWrite> first = store.write(U, set("a", "1")).toCompletableFuture();
    assertThat(firstCommitted.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<CommittedWrite> queued = store.write(U, set("b", "2")).toCompletableFuture();
    CompletableFuture<CommittedWrite> rejected =
        store.write(U, set("c", "3")).toCompletableFuture();
    assertThat(rejected).isCompletedExceptionally();
    assertThatThrownBy(rejected::join)
        .cause()
        .isInstanceOfSatisfying(
            MetagateException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
              assertThat(e.retryAfterSeconds()).isPositive();
            });
    release.countDown();
    assertThat(first.join().sequence()).isEqualTo(1);
    assertThat(queued.join().sequence()).isEqualTo(2);
    assertThat(join(store.load(U)).get("c")).isNull();
    join(store.close());
  }

  @Test
  void close_commitsWhatIsQueued_thenRefusesWrites() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    MetadataStore store = open(100, w -> await(release));
    var a = store.write(U, set("a", "1")).toCompletableFuture();
    var b = store.write(U, set("b", "2")).toCompletableFuture();
    var closing = store.close().toCompletableFuture();
    release.countDown();
    closing.get(10, TimeUnit.SECONDS);
    assertThat(a.join().sequence()).isEqualTo(1);
    assertThat(b.join().sequence()).isEqualTo(2);
    assertThat(store.write(U, set("c", "3")).toCompletableFuture()).isCompletedExceptionally();
    assertThat(store.isOpen()).isFalse();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
