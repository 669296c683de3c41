package dev.metagate.store.postgres;

import static dev.metagate.store.postgres.PgWire.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under write load: every acknowledged write is there
 * afterwards, and while it is down the gateway answers 503 (never 500) and is not ready.
 */
@ExtendWith(Invariants.class)
class PostgresRestartTest {
  @TempDir Path dataDir;

  @Test
  void databaseRestartMidLoad_losesNoAcknowledgedWrite_andAnswers503WhileDown() throws Exception {
    assumeFalse(TestPostgres.external(), "needs an embedded server it can stop and start");
    EmbeddedPostgres pg = TestPostgres.startOwn(dataDir, 0);
    int port = pg.getPort();
    TestPostgres.Server server = new TestPostgres.Server("localhost", port, "postgres", "");
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE metagate");
    }
    try (TestIssuer issuer = TestIssuer.start()) {
      TestGateway gw =
          TestGateway.start(
              issuer,
              Map.of(
                  "METAGATE_STORE_TYPE", "postgres",
                  "METAGATE_STORE_URL", server.url("metagate"),
                  "METAGATE_STORE_STATEMENT_TIMEOUT", "2s"));
      String token = issuer.token("writer", "o1", "ORG_OWNER");
      Map<String, String> acked = new ConcurrentHashMap<>();
      Set<Integer> statuses = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        writers.add(writer(t, gw.http(), token, running, acked, statuses));
      }
      writers.forEach(Thread::start);
      try {
        Thread.sleep(700);
        assertThat(listeningGauge(gw)).isEqualTo("1.0");
        pg.close();
        awaitReady(gw, 503);
        assertThat(listeningGauge(gw)).as("cache bypassed while down").isEqualTo("0.0");
        int ackedWhileUp = acked.size();
        Thread.sleep(700);
        pg = TestPostgres.startOwn(dataDir, port);
        awaitReady(gw, 200);
        long listeningBy = System.nanoTime() + 10_000_000_000L;
        while (!listeningGauge(gw).equals("1.0") && System.nanoTime() < listeningBy) {
          Thread.sleep(50);
        }
        assertThat(listeningGauge(gw)).as("listening again").isEqualTo("1.0");
        long until = System.nanoTime() + 5_000_000_000L;
        while (acked.size() < ackedWhileUp + 30 && System.nanoTime() < until) {
          Thread.sleep(50);
        }
      } finally {
        running.set(false);
        for (Thread w : writers) {
          w.join();
        }
        gw.close();
      }
      assertThat(statuses).as("answers under load").containsOnly(200, 503).contains(503);
      assertThat(stored(server)).containsAllEntriesOf(acked);
    } finally {
      pg.close();
    }
  }

  private static Thread writer(
      int id,
      Http http,
      String token,
      AtomicBoolean running,
      Map<String, String> acked,
      Set<Integer> statuses) {
    return new Thread(
        () -> {
          for (int n = 0; running.get(); n++) {
            String key = "t" + id + "-" + n;
            Http.Response r = set(http, token, "restart-user", key, "v" + n);
            statuses.add(r.status());
            if (r.status() == 200) {
              acked.put(key, "v" + n);
            } else {
              sleep(20);
            }
          }
        },
        "restart-writer-" + id);
  }

  /** The value of {@code metagate_store_listening} on the gateway's metrics page. */
  private static String listeningGauge(TestGateway gw) {
    return gw.admin()
        .get("/metrics", null)
        .body()
        .lines()
        .filter(l -> l.startsWith("metagate_store_listening "))
        .map(l -> l.substring(l.indexOf(' ') + 1))
        .findFirst()
        .orElse("absent");
  }

  private static void awaitReady(TestGateway gw, int status) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (gw.admin().get("/health/ready", null).status() != status) {
      assertThat(System.nanoTime()).as("readiness " + status).isLessThan(deadline);
      sleep(50);
    }
  }

  private static Map<String, String> stored(TestPostgres.Server server) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection c = server.connect("metagate");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT key, value FROM metagate_metadata")) {
      while (rs.next()) {
        out.put(
            rs.getString(1), new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
