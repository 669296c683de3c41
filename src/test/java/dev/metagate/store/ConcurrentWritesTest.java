package dev.metagate.store;

import static dev.metagate.store.ScriptedClient.decode;
import static dev.metagate.store.ScriptedClient.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.store.ScriptedClient.Ack;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many clients writing the same and different users at once, through the real gateway. Nothing here
 * depends on how the requests interleave; what must hold whatever the interleaving:
 *
 * <ul>
 *   <li>a client's own keys end exactly as its acknowledged writes left them;
 *   <li>each acknowledged write that changed {@code e} keys owns the sequence numbers {@code (seq -
 *       e, seq]}, and these ranges tile {@code 1..processedSequence} without gap or overlap (every
 *       changed key is one event, writes to one user apply one after the other);
 *   <li>a shared key holds the value of the write to it with the highest sequence, and that
 *       sequence;
 *   <li>what the cache serves equals what SQLite holds after a restart.
 * </ul>
 */
@ExtendWith(Invariants.class)
class ConcurrentWritesTest {
  private static final int CLIENTS = 6;
  private static final int OPS_PER_CLIENT = 60;
  private static final List<String> USERS = List.of("cw-u0", "cw-u1", "cw-u2");

  static TestIssuer issuer;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void mixedConcurrentWrites_endAsTheirAcknowledgementsImply_andReadTheSameAfterRestart()
      throws InterruptedException {
    String token = issuer.token("writer", "o1", "ORG_OWNER");
    TestGateway gw = TestGateway.start(issuer);
    Map<String, JsonObject> viaCache;
    List<ScriptedClient> clients = new ArrayList<>();
    try {
      warmUp(gw, token);
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(new ScriptedClient(c, gw.http(), token, USERS, OPS_PER_CLIENT));
      }
      runAll(clients);
      viaCache = searchAll(gw, token);
    } finally {
      gw.close();
    }

    for (String user : USERS) {
      verifyUser(user, viaCache.get(user), clients);
    }

    TestGateway reopened = TestGateway.start(issuer, gw.dir(), Map.of());
    try {
      assertThat(searchAll(reopened, token)).isEqualTo(viaCache);
    } finally {
      reopened.close();
    }
  }

  /**
   * The same mix with PostgreSQL, the clients split over two instances of one database: the same
   * invariants hold for the union of their acknowledgements, and both caches end up equal.
   */
  @Test
  void mixedConcurrentWrites_throughTwoPostgresInstances_endTheSameOnBoth()
      throws InterruptedException {
    String token = issuer.token("writer", "o1", "ORG_OWNER");
    Map<String, String> env =
        Map.of(
            "METAGATE_STORE_TYPE", "postgres", "METAGATE_STORE_URL", TestPostgres.freshDatabase());
    TestGateway a = TestGateway.start(issuer, env);
    TestGateway b = TestGateway.start(issuer, env);
    List<ScriptedClient> clients = new ArrayList<>();
    try {
      warmUp(a, token, "cw-warm-up-a");
      warmUp(b, token, "cw-warm-up-b");
      for (int c = 0; c < CLIENTS; c++) {
        TestGateway gw = c % 2 == 0 ? a : b;
        clients.add(new ScriptedClient(c, gw.http(), token, USERS, OPS_PER_CLIENT));
      }
      runAll(clients);
      Map<String, JsonObject> viaA = searchAll(a, token);
      for (String user : USERS) {
        verifyUser(user, viaA.get(user), clients);
      }
      long deadline = System.nanoTime() + 1_000_000_000L;
      while (!searchAll(b, token).equals(viaA) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(searchAll(b, token)).isEqualTo(viaA);
    } finally {
      a.close();
      b.close();
    }
  }

  /**
   * One request of each kind before the load: the first use of a path loads classes on the event
   * loop, which on a busy machine can trip the blocked-thread check if it happens under load.
   */
  private static void warmUp(TestGateway gw, String token) {
    warmUp(gw, token, "cw-warm-up");
  }

  private static void warmUp(TestGateway gw, String token, String user) {
    ScriptedClient warm = new ScriptedClient(99, gw.http(), token, List.of(user), 40);
    warm.run();
    assertThat(warm.failure()).isNull();
  }

  private static void runAll(List<ScriptedClient> clients) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (ScriptedClient c : clients) {
      threads.add(new Thread(c, "scripted-client-" + c.id()));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    for (ScriptedClient c : clients) {
      assertThat(c.failure()).as("client " + c.id()).isNull();
    }
  }

  private static Map<String, JsonObject> searchAll(TestGateway gw, String token) {
    Map<String, JsonObject> out = new TreeMap<>();
    for (String user : USERS) {
      var r =
          gw.http()
              .post(ScriptedClient.path(user, "_search"), token, "{\"query\":{\"limit\":1000}}");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      out.put(user, r.json());
    }
    return out;
  }

  private static void verifyUser(String user, JsonObject search, List<ScriptedClient> clients) {
    long processed = sequence(search.getJsonObject("details"), "processedSequence");
    List<Ack> acks =
        clients.stream()
            .flatMap(c -> c.acks().stream())
            .filter(a -> a.user().equals(user))
            .toList();
    Map<String, JsonObject> stored = storedByKey(search);

    assertSequencesTile(user, acks, processed);
    for (ScriptedClient c : clients) {
      Map<String, String> own = new HashMap<>();
      stored.forEach(
          (key, e) -> {
            if (key.startsWith("c" + c.id() + "-")) {
              own.put(key, decode(e.getString("value")));
            }
          });
      assertThat(own).as(user + ": keys of client " + c.id()).isEqualTo(c.model(user));
    }
    for (int k = 0; k < ScriptedClient.SHARED_KEYS; k++) {
      assertSharedKey(user, "shared-" + k, acks, stored.get("shared-" + k));
    }
    Set<Long> keySequences = new HashSet<>();
    for (JsonObject e : stored.values()) {
      long seq = sequence(e.getJsonObject("details"), "sequence");
      assertThat(seq).as(user + ": " + e).isBetween(1L, processed);
      assertThat(keySequences.add(seq)).as(user + ": unique sequence " + e).isTrue();
    }
  }

  /**
   * The writes that changed something own disjoint, gapless ranges ending at the user's sequence.
   */
  private static void assertSequencesTile(String user, List<Ack> acks, long processed) {
    List<Ack> changing =
        acks.stream()
            .filter(a -> a.events() > 0)
            .sorted(Comparator.comparingLong(Ack::sequence))
            .toList();
    long end = 0;
    for (Ack a : changing) {
      assertThat(a.sequence() - a.events()).as(user + ": range of " + a).isEqualTo(end);
      end = a.sequence();
    }
    assertThat(end).as(user + ": processedSequence").isEqualTo(processed);
    assertThat(acks.stream().filter(a -> a.events() == 0)).allMatch(a -> a.sequence() <= processed);
  }

  private static void assertSharedKey(String user, String key, List<Ack> acks, JsonObject entry) {
    Ack last =
        acks.stream()
            .filter(a -> key.equals(a.sharedKey()))
            .max(Comparator.comparingLong(Ack::sequence))
            .orElse(null);
    if (last == null) {
      assertThat(entry).as(user + "/" + key + " was never written").isNull();
      return;
    }
    assertThat(entry).as(user + "/" + key).isNotNull();
    assertThat(decode(entry.getString("value"))).as(user + "/" + key).isEqualTo(last.value());
    assertThat(sequence(entry.getJsonObject("details"), "sequence"))
        .as(user + "/" + key)
        .isEqualTo(last.sequence());
  }

  private static Map<String, JsonObject> storedByKey(JsonObject search) {
    Map<String, JsonObject> out = new HashMap<>();
    JsonArray result = search.getJsonArray("result", new JsonArray());
    for (int i = 0; i < result.size(); i++) {
      JsonObject e = result.getJsonObject(i);
      out.put(e.getString("key"), e);
    }
    return out;
  }
}
