package dev.metagate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metagate.metadata.MetadataStore;
import dev.metagate.store.MetadataStoreContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, plus what only a file has. */
class SqliteStoreTest extends MetadataStoreContractTest {
  @TempDir Path dir;

  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);

  /** The commit listener runs on the writer thread: holding it there keeps the writer busy. */
  @Override
  protected MetadataStore open(int maxQueue) throws SQLException {
    return SqliteStore.open(
        new SqliteOptions(dir.resolve("m.db"), 1000, Duration.ofMillis(1), maxQueue, 1),
        CLOCK,
        w -> {
          if (w.user().equals(HOLDER)) {
            entered.countDown();
            await(release);
          }
        });
  }

  @Override
  protected AutoCloseable holdWriter(MetadataStore store) throws InterruptedException {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    store.write(HOLDER, set("h", Long.toString(System.nanoTime())));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch r = release;
    return r::countDown;
  }

  @Test
  void fileFromANewerVersion_isRefusedAndLeftAlone() throws Exception {
    join(open(100).close());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> open(100))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("version 99")
        .hasMessageContaining("newer");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"))) {
      assertThat(Schema.version(c)).isEqualTo(99);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
