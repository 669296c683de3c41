package dev.metagate.store;

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
import dev.metagate.testing.Invariants;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link MetadataStore} must do (behaviour.md, "the store"), run against each
 * implementation by a subclass that says how to open one and how to keep its writer busy.
 */
@ExtendWith(Invariants.class)
public abstract class MetadataStoreContractTest {
  protected static final UserRef U = new UserRef("org", "user");

  /** The user whose write a subclass may hold up to keep the writer busy. */
  protected static final UserRef HOLDER = new UserRef("org", "holder");

  protected static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-25T10:43:58.308Z"), ZoneOffset.UTC);

  /** Opens the test's store; a second call within one test reopens the same data. */
  protected abstract MetadataStore open(int maxQueue) throws Exception;

  /**
   * Keeps the store's writer busy with a write of {@link #HOLDER} until the handle is closed;
   * returns once the writer is busy and its queue is empty.
   */
  protected abstract AutoCloseable holdWriter(MetadataStore store) throws Exception;

  protected static WriteCommand set(String... kv) {
    List<KeyValue> entries = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      entries.add(new KeyValue(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new WriteCommand.SetKeys(entries);
  }

  protected static <T> T join(CompletionStage<T> s) {
    try {
      return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(UserMetadata m, String key) {
    return new String(m.get(key).value(), StandardCharsets.UTF_8);
  }

  @Test
  void write_countsOneEventPerChangedKey_andSkipsUnchangedValues() throws Exception {
    MetadataStore store = open(100);
    assertThat(join(store.write(U, set("a", "1", "b", "2"))).sequence()).isEqualTo(2);
    CommittedWrite same = join(store.write(U, set("a", "1", "b", "3")));
    assertThat(same.sequence()).isEqualTo(3);
    assertThat(same.changes()).hasSize(1);
    CommittedWrite nothing = join(store.write(U, set("a", "1")));
    assertThat(nothing.changes()).isEmpty();
    assertThat(nothing.sequence()).isEqualTo(3);
    assertThat(nothing.changeMicros()).isEqualTo(same.changeMicros());
    join(store.close());
  }

  @Test
  void unchangedKeysAmongChangedOnes_takeNoSequence_andTheChangedOnesCountInRequestOrder()
      throws Exception {
    MetadataStore store = open(100);
    join(store.write(U, set("a", "1", "b", "2", "c", "3", "d", "4")));

    CommittedWrite w = join(store.write(U, set("a", "1", "b", "B", "c", "3", "d", "D", "e", "E")));

    assertThat(w.sequence()).isEqualTo(7);
    assertThat(w.changes())
        .extracting(c -> c.key() + "@" + c.entry().sequence())
        .containsExactly("b@5", "d@6", "e@7");
    UserMetadata m = join(store.load(U));
    assertThat(List.of("a", "b", "c", "d", "e"))
        .extracting(k -> k + "@" + m.get(k).sequence() + "=" + text(m, k))
        .containsExactly("a@1=1", "b@5=B", "c@3=3", "d@6=D", "e@7=E");
    join(store.close());
  }

  @Test
  void aLargeBulk_withSomeValuesUnchanged_numbersEveryChangedKeyInRequestOrder() throws Exception {
    MetadataStore store = open(1000);
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      first.add(String.format("k%02d", i));
      first.add("v" + i);
    }
    join(store.write(U, set(first.toArray(String[]::new))));
    List<String> second = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      second.add(String.format("k%02d", i));
      second.add(i % 3 == 0 ? "new" + i : "v" + i); // k00, k03, ... k39 change: 14 keys
    }

    CommittedWrite w = join(store.write(U, set(second.toArray(String[]::new))));

    assertThat(w.sequence()).isEqualTo(54);
    UserMetadata m = join(store.load(U));
    long expected = 40;
    for (int i = 0; i < 40; i++) {
      String k = String.format("k%02d", i);
      long seq = i % 3 == 0 ? ++expected : i + 1;
      assertThat(m.get(k).sequence()).as(k).isEqualTo(seq);
      assertThat(text(m, k)).as(k).isEqualTo(i % 3 == 0 ? "new" + i : "v" + i);
    }
    assertThat(w.changes())
        .extracting(c -> c.entry().sequence())
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(41, 54).boxed().toList());
    join(store.close());
  }

  @Test
  void laterDuplicateInOneRequest_wins() throws Exception {
    MetadataStore store = open(100);
    join(store.write(U, set("k", "first", "k", "second")));
    assertThat(text(join(store.load(U)), "k")).isEqualTo("second");
    join(store.close());
  }

  @Test
  void bulkRemove_withAMissingKey_removesNothing() throws Exception {
    MetadataStore store = open(100);
    join(store.write(U, set("a", "1", "b", "2")));
    assertThatThrownBy(
            () -> join(store.write(U, new WriteCommand.RemoveKeys(List.of("a", "zz"), true))))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            MetagateException.class, e -> assertThat(e.id()).isEqualTo("META-2nnds"));
    UserMetadata m = join(store.load(U));
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.sequence()).isEqualTo(2);
    join(store.close());
  }

  @Test
  void remove_countsOneEventPerKey_andASetAfterItStartsANewCreationTime() throws Exception {
    MetadataStore store = open(100);
    join(store.write(U, set("a", "1", "b", "2")));
    CommittedWrite removed =
        join(store.write(U, new WriteCommand.RemoveKeys(List.of("a", "b", "a"), true)));
    assertThat(removed.sequence()).isEqualTo(4);
    assertThat(join(store.load(U)).size()).isZero();
    join(store.write(U, set("a", "again")));
    UserMetadata m = join(store.load(U));
    assertThat(m.sequence()).isEqualTo(5);
    assertThat(m.get("a").sequence()).isEqualTo(5);
    assertThat(m.get("a").creationMicros()).isEqualTo(1742899438308000L);
    join(store.close());
  }

  @Test
  void dataSurvivesReopening_withCreationAndChangeTimes() throws Exception {
    MetadataStore store = open(100);
    join(store.write(U, set("a", "1")));
    join(store.close());
    MetadataStore again = open(100);
    UserMetadata m = join(again.load(U));
    assertThat(m.sequence()).isEqualTo(1);
    assertThat(m.lastChangeMicros()).isEqualTo(1742899438308000L);
    assertThat(m.get("a").creationMicros()).isEqualTo(1742899438308000L);
    assertThat(m.get("a").changeMicros()).isEqualTo(1742899438308000L);
    join(again.close());
  }

  @Test
  void unknownUser_loadsEmpty() throws Exception {
    MetadataStore store = open(100);
    UserMetadata m = join(store.load(new UserRef("org", "nobody")));
    assertThat(m.size()).isZero();
    assertThat(m.sequence()).isZero();
    join(store.close());
  }

  @Test
  void fullQueue_failsFastWithUnavailable_andQueuedWritesStillCommit() throws Exception {
    MetadataStore store = open(1);
    CompletableFuture<CommittedWrite> queued;
    CompletableFuture<CommittedWrite> rejected;
    try (AutoCloseable held = holdWriter(store)) {
      queued = store.write(U, set("b", "2")).toCompletableFuture();
      rejected = store.write(U, set("c", "3")).toCompletableFuture();
      assertThat(rejected).isCompletedExceptionally();
    }
    assertThatThrownBy(rejected::join)
        .cause()
        .isInstanceOfSatisfying(
            MetagateException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
              assertThat(e.retryAfterSeconds()).isPositive();
            });
    assertThat(join(queued).sequence()).isEqualTo(1);
    assertThat(join(store.load(U)).get("c")).isNull();
    join(store.close());
  }

  @Test
  void close_commitsWhatIsQueued_thenRefusesWrites() throws Exception {
    MetadataStore store = open(100);
    CompletableFuture<CommittedWrite> a;
    CompletableFuture<CommittedWrite> b;
    CompletableFuture<Void> closing;
    try (AutoCloseable held = holdWriter(store)) {
      a = store.write(U, set("a", "1")).toCompletableFuture();
      b = store.write(U, set("b", "2")).toCompletableFuture();
      closing = store.close().toCompletableFuture();
      assertThat(store.isOpen()).isFalse();
    }
    closing.get(20, TimeUnit.SECONDS);
    assertThat(a.join().sequence()).isEqualTo(1);
    assertThat(b.join().sequence()).isEqualTo(2);
    assertThat(store.write(U, set("c", "3")).toCompletableFuture()).isCompletedExceptionally();
  }
}
