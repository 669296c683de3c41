package dev.metagate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metagate.cache.UserCaches;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.store.CommitObserver;
import dev.metagate.store.MetadataStoreContractTest;
import dev.metagate.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL, plus schema versioning under concurrent starts. */
class PostgresStoreTest extends MetadataStoreContractTest {
  static Vertx vertx;
  private String url;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void freshDatabase() {
    url = TestPostgres.freshDatabase();
  }

  private PostgresOptions options(int maxQueue) {
    return new PostgresOptions(
        url, 4, Duration.ofSeconds(10), 1000, Duration.ofMillis(1), maxQueue);
  }

  @Override
  protected MetadataStore open(int maxQueue) throws Exception {
    return PostgresStore.open(
            vertx, options(maxQueue), CLOCK, UserCaches.bounded(1 << 20), CommitObserver.NONE)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** Holds the lock on the holder's row from outside, so the writer waits for it. */
  @Override
  protected AutoCloseable holdWriter(MetadataStore store) throws Exception {
    join(store.write(HOLDER, set("h", "0")));
    Connection c = TestPostgres.server().connect(TestPostgres.databaseOf(url));
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1 FROM metagate_users WHERE user_id = 'holder' FOR UPDATE");
    }
    store.write(HOLDER, set("h", "1"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!writerWaitsForLock(c)) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(10);
    }
    return () -> {
      c.rollback();
      c.close();
    };
  }

  private static boolean writerWaitsForLock(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND application_name = 'metagate'")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }

  @Test
  void databaseFromANewerVersion_isRefusedAndLeftAlone() throws Exception {
    join(open(100).close());
    try (Connection c = TestPostgres.server().connect(TestPostgres.databaseOf(url));
        Statement st = c.createStatement()) {
      st.execute("UPDATE metagate_schema SET version = 99");
    }
    assertThatThrownBy(() -> open(100))
        .hasMessageContaining("version 99")
        .hasMessageContaining("newer");
  }

  @Test
  void instancesStartingTogether_migrateOnce() throws Exception {
    List<java.util.concurrent.CompletableFuture<MetadataStore>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opening.add(
          PostgresStore.open(
                  vertx, options(100), CLOCK, UserCaches.bounded(1 << 20), CommitObserver.NONE)
              .toCompletionStage()
              .toCompletableFuture());
    }
    for (var f : opening) {
      join(f.get(30, TimeUnit.SECONDS).close());
    }
    try (Connection c = TestPostgres.server().connect(TestPostgres.databaseOf(url));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), max(version) FROM metagate_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(Schema.CURRENT_VERSION);
    }
  }

  @Test
  void connections_carryTheStatementTimeout() {
    String timeout =
        io.vertx.pgclient.PgConnection.connect(vertx, PostgresStore.connectOptions(options(100)))
            .compose(
                c ->
                    c.query("SHOW statement_timeout")
                        .execute()
                        .map(rows -> rows.iterator().next().getString(0))
                        .eventually(c::close))
            .await();
    assertThat(timeout).isEqualTo("10s");
  }
}
