package dev.metagate.store.postgres;

import static dev.metagate.store.postgres.PgWire.bulkSet;
import static dev.metagate.store.postgres.PgWire.get;
import static dev.metagate.store.postgres.PgWire.sequence;
import static dev.metagate.store.postgres.PgWire.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two gateways on one PostgreSQL database: coherent caches and serialized per-user writes. */
@ExtendWith(Invariants.class)
class PostgresInstancesTest {
  /** How long a change may take to reach the other instance's cache (a notification round). */
  private static final long NOTIFY_BOUND_MS = 1_000;

  /** Stale reads after the LISTEN connection is killed: detection plus one reconnect. */
  private static final long LISTENER_LOSS_BOUND_MS = 2_000;

  static TestIssuer issuer;
  private String url;
  private TestGateway a;
  private TestGateway b;
  private String token;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @BeforeEach
  void startTwoInstances() {
    url = TestPostgres.freshDatabase();
    Map<String, String> env = Map.of("METAGATE_STORE_TYPE", "postgres", "METAGATE_STORE_URL", url);
    a = TestGateway.start(issuer, env);
    b = TestGateway.start(issuer, env);
    token = issuer.token("writer", "o1", "ORG_OWNER");
    awaitListening(a);
    awaitListening(b);
  }

  @AfterEach
  void stopInstances() {
    a.close();
    b.close();
  }

  @Test
  void writeOnA_reachesTheCacheOfB_wellUnderASecond() {
    assertThat(set(a.http(), token, "u1", "plan", "free").status()).isEqualTo(200);
    assertThat(get(b.http(), token, "u1", "plan")).isEqualTo("free");
    for (int i = 0; i < 5; i++) {
      String value = "pro-" + i;
      assertThat(set(a.http(), token, "u1", "plan", value).status()).isEqualTo(200);
      long acked = System.nanoTime();
      long seenAfterMs = awaitValue(b.http(), "u1", "plan", value, NOTIFY_BOUND_MS);
      assertThat(seenAfterMs).as("ms from ack on A to the value on B").isLessThan(NOTIFY_BOUND_MS);
      assertThat((System.nanoTime() - acked) / 1_000_000).isLessThan(NOTIFY_BOUND_MS);
    }
    long hitsBefore = b.gateway().cache().stats().hitCount();
    get(b.http(), token, "u1", "plan");
    assertThat(b.gateway().cache().stats().hitCount())
        .as("B reads from its cache")
        .isGreaterThan(hitsBefore);
  }

  @Test
  void concurrentBulkSetsThroughAAndB_keepSequencesGaplessAndBulksAtomic() throws Exception {
    List<String> keys = List.of("k0", "k1", "k2");
    List<Long> acks = Collections.synchronizedList(new ArrayList<>());
    List<String> lastValue = Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 6; t++) {
      Http http = (t % 2 == 0 ? a : b).http();
      int id = t;
      writers.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 25; i++) {
                    String value = "w" + id + "-" + i;
                    Http.Response r = bulkSet(http, token, "shared", keys, value);
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    long seq = sequence(r);
                    acks.add(seq);
                    synchronized (lastValue) {
                      lastValue.add(seq + "=" + value);
                    }
                    // a bulk is atomic: whoever reads after the ack sees all three keys equal
                    String k0 = get(http, token, "shared", "k0");
                    String k2 = get(http, token, "shared", "k2");
                    assertThat(k0).isNotNull();
                    assertThat(k2).isNotNull();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              }));
    }
    writers.forEach(Thread::start);
    for (Thread w : writers) {
      w.join();
    }
    assertThat(failures).isEmpty();
    List<Long> sorted = new ArrayList<>(acks);
    Collections.sort(sorted);
    for (int i = 0; i < sorted.size(); i++) {
      assertThat(sorted.get(i))
          .as("ack %d: three events per bulk, no gap", i)
          .isEqualTo(3L * (i + 1));
    }
    long last = sorted.get(sorted.size() - 1);
    String winner =
        lastValue.stream()
            .filter(s -> s.startsWith(last + "="))
            .findFirst()
            .orElseThrow()
            .substring(Long.toString(last).length() + 1);
    for (TestGateway gw : List.of(a, b)) {
      for (String k : keys) {
        awaitValue(gw.http(), "shared", k, winner, NOTIFY_BOUND_MS);
      }
    }
  }

  @Test
  void killedListenConnection_neverServesStaleDataBeyondTheBound() throws Exception {
    assertThat(set(a.http(), token, "u2", "theme", "v0").status()).isEqualTo(200);
    awaitValue(b.http(), "u2", "theme", "v0", NOTIFY_BOUND_MS);
    long worstMs = 0;
    for (int i = 1; i <= 20; i++) {
      if (i == 5 || i == 12) {
        awaitListening(b);
        assertThat(terminateListeners()).isPositive();
      }
      String value = "v" + i;
      assertThat(set(a.http(), token, "u2", "theme", value).status()).isEqualTo(200);
      worstMs =
          Math.max(worstMs, awaitValue(b.http(), "u2", "theme", value, LISTENER_LOSS_BOUND_MS));
    }
    assertThat(worstMs).isLessThan(LISTENER_LOSS_BOUND_MS);
    awaitListening(b);
  }

  /** Polls B until it serves {@code value}; the milliseconds that took. Fails past the bound. */
  private long awaitValue(Http http, String user, String key, String value, long boundMs) {
    long start = System.nanoTime();
    while (true) {
      String seen = get(http, token, user, key);
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (value.equals(seen)) {
        return ms;
      }
      assertThat(ms).as("still serving %s instead of %s", seen, value).isLessThan(boundMs);
      sleep(5);
    }
  }

  private int terminateListeners() throws Exception {
    try (Connection c = TestPostgres.server().connect(TestPostgres.databaseOf(url));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = '"
                    + ChangeListener.APPLICATION_NAME
                    + "' AND datname = current_database()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Waits until {@code gw} serves reads from its cache again, which it does only while it receives
   * change notifications.
   */
  private void awaitListening(TestGateway gw) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      get(gw.http(), token, "probe", "k");
      long hits = gw.gateway().cache().stats().hitCount();
      get(gw.http(), token, "probe", "k");
      if (gw.gateway().cache().stats().hitCount() > hits) {
        return;
      }
      assertThat(System.nanoTime()).as("cache back in use").isLessThan(deadline);
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
