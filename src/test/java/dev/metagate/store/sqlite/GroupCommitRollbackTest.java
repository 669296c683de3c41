package dev.metagate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import dev.metagate.store.CommitObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that fails rolls back every request in it, and the writer must forget what it remembered
 * of those users: the next write continues from the database, not from the rolled back transaction.
 */
class GroupCommitRollbackTest {
  private static final UserRef ALICE = new UserRef("org", "alice");
  private static final UserRef BOB = new UserRef("org", "bob");

  @TempDir Path dir;

  @Test
  void failedCommit_failsEveryRequestInIt_andNextWriteContinuesFromTheDatabase() throws Exception {
    Path file = dir.resolve("metagate.db");
    Connection conn = Connections.open(file, false);
    Schema.migrate(conn);
    try (Statement st = conn.createStatement()) {
      st.execute(
          "CREATE TRIGGER fail_boom BEFORE INSERT ON metadata WHEN NEW.key = 'boom'"
              + " BEGIN SELECT RAISE(ABORT, 'injected'); END");
    }
    conn.commit();
    var options = new SqliteOptions(file, 1000, Duration.ZERO, 10_000, 1);
    GroupCommitWriter writer =
        new GroupCommitWriter(conn, options, Clock.systemUTC(), w -> {}, CommitObserver.NONE);
    // queued before the writer runs, so both land in one transaction
    var aliceFirst = writer.submit(ALICE, set("a"));
    var bobBoom = writer.submit(BOB, set("boom"));
    Thread thread = new Thread(writer, "test-writer");
    thread.start();
    try {
      assertUnavailable(aliceFirst);
      assertUnavailable(bobBoom);

      CommittedWrite next = writer.submit(ALICE, set("b")).get(10, TimeUnit.SECONDS);

      assertThat(next.sequence()).isEqualTo(1);
      assertThat(keysOf(conn, ALICE)).containsExactly("b");
    } finally {
      writer.close();
      thread.join(10_000);
      conn.close();
    }
  }

  private static WriteCommand set(String key) {
    return new WriteCommand.SetKeys(
        List.of(new KeyValue(key, "v".getBytes(StandardCharsets.UTF_8))));
  }

  private static void assertUnavailable(CompletableFuture<CommittedWrite> f) {
    assertThat(f)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            MetagateException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
  }

  private static List<String> keysOf(Connection conn, UserRef user) throws Exception {
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT key FROM metadata WHERE user_id = '" + user.userId() + "' ORDER BY key")) {
      var keys = new java.util.ArrayList<String>();
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
      conn.commit();
      return keys;
    }
  }
}
