package dev.metagate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads that bulk-set their own keys over and over until the gateway goes away, and the
 * check of what a restarted gateway holds.
 *
 * <p>Writer {@code w} owns the keys {@code w<w>-k0..k4} of one user (two writers share each user)
 * and its request {@code n} sets all five to the same value naming {@code n}. A writer sends one
 * request at a time and numbers them on across restarts, so after a crash its keys must hold
 * exactly the last acknowledged request, or the one whose answer was lost in the crash; anything
 * else is a lost write, and keys that disagree are a bulk applied by half. Each applied bulk is
 * five events, so the user's sequence must be five times the bulks applied to it.
 */
final class BulkWriters {
  static final int KEYS = 5;
  private static final String PADDING = "x".repeat(1000);

  private final List<Writer> writers = new ArrayList<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private int lostAnswersApplied;

  BulkWriters(int count) {
    for (int w = 0; w < count; w++) {
      writers.add(new Writer(w, "bulk-u" + (w / 2)));
    }
  }

  /** Starts one thread per writer against {@code http}. */
  void start(Http http, String token) {
    threads.clear();
    for (Writer w : writers) {
      w.ackedThisRun.set(0);
      Thread t = new Thread(() -> w.run(http, token, unexpected), "bulk-writer-" + w.id);
      threads.add(t);
      t.start();
    }
  }

  /** Waits until every writer has {@code n} acknowledged bulks in this run. */
  void awaitAcks(int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (writers.stream().anyMatch(w -> w.ackedThisRun.get() < n)) {
      assertThat(threads).as("writers ended early: " + unexpected).allMatch(Thread::isAlive);
      assertThat(System.currentTimeMillis()).as("acks in time").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Waits for every writer to stop, which each does when the gateway stops answering. */
  void join() throws InterruptedException {
    for (Thread t : threads) {
      t.join(60_000);
      assertThat(t.isAlive()).as(t.getName() + " still running").isFalse();
    }
  }

  /** Answers other than 200 from a live gateway. */
  List<String> unexpectedAnswers() {
    return unexpected;
  }

  /** Requests whose answer was lost but which turned out applied, over all checks so far. */
  int lostAnswersApplied() {
    return lostAnswersApplied;
  }

  /** Requests acknowledged with 200 over all runs. */
  long acknowledged() {
    return writers.stream().mapToLong(w -> w.acknowledged).sum();
  }

  /**
   * Checks a gateway restarted after the writers stopped, and settles each request whose answer was
   * lost: its keys show whether it was applied.
   */
  void verify(Http http, String token) {
    Map<String, List<Writer>> byUser = new HashMap<>();
    writers.forEach(w -> byUser.computeIfAbsent(w.user, u -> new ArrayList<>()).add(w));
    byUser.forEach((user, ws) -> verifyUser(http, token, user, ws));
  }

  private void verifyUser(Http http, String token, String user, List<Writer> ws) {
    Http.Response r =
        http.post(
            "/management/v1/users/" + user + "/metadata/_search",
            token,
            "{\"query\":{\"limit\":1000}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonObject body = r.json();
    long applied = 0;
    for (Writer w : ws) {
      verifyWriter(w, entriesOf(body, "w" + w.id + "-"));
      applied += w.applied;
    }
    JsonObject details = body.getJsonObject("details", new JsonObject());
    assertThat(Long.parseLong(details.getString("processedSequence", "0")))
        .as(user + ": one event per key of each applied bulk")
        .isEqualTo(KEYS * applied);
  }

  private void verifyWriter(Writer w, Map<String, JsonObject> stored) {
    String who = "writer " + w.id + " (acked " + w.acked + ", lost " + w.lostAnswer + ")";
    if (stored.isEmpty()) {
      assertThat(w.acked).as(who + ": acknowledged bulks lost").isZero();
      w.lostAnswer = 0;
      return;
    }
    assertThat(stored).as(who + ": a bulk applied by half").hasSize(KEYS);
    List<Long> requests = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    stored.values().forEach(e -> requests.add(requestOf(e.getString("value"))));
    stored.values().forEach(e -> sequences.add(sequenceOf(e)));
    assertThat(requests).as(who + ": keys from different bulks").containsOnly(requests.get(0));
    assertThat(Collections.max(sequences) - Collections.min(sequences))
        .as(who + ": one bulk is five consecutive events")
        .isEqualTo(KEYS - 1);
    long n = requests.get(0);
    assertThat(n)
        .as(
            who
                + ": stored bulk must be the last acknowledged one or the one whose answer was lost")
        .isIn(w.acked, w.lostAnswer == 0 ? w.acked : w.lostAnswer);
    if (n != w.acked) {
      w.acked = n;
      w.applied++;
      lostAnswersApplied++;
    }
    w.lostAnswer = 0;
  }

  private static Map<String, JsonObject> entriesOf(JsonObject search, String prefix) {
    Map<String, JsonObject> out = new HashMap<>();
    JsonArray result = search.getJsonArray("result", new JsonArray());
    for (int i = 0; i < result.size(); i++) {
      JsonObject e = result.getJsonObject(i);
      if (e.getString("key").startsWith(prefix)) {
        out.put(e.getString("key"), e);
      }
    }
    return out;
  }

  private static long requestOf(String b64) {
    String v = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    return Long.parseLong(v.substring(v.indexOf("-r") + 2, v.indexOf('|')));
  }

  private static long sequenceOf(JsonObject entry) {
    return Long.parseLong(entry.getJsonObject("details").getString("sequence"));
  }

  /** One writer's numbering and what it knows of its requests' outcomes. */
  private static final class Writer {
    final int id;
    final String user;
    final AtomicInteger ackedThisRun = new AtomicInteger();
    long sent;
    long acked;
    long lostAnswer;
    long applied;
    long acknowledged;

    Writer(int id, String user) {
      this.id = id;
      this.user = user;
    }

    /** Sends bulks until one fails; a request without an answer is left in {@link #lostAnswer}. */
    void run(Http http, String token, List<String> unexpected) {
      while (true) {
        long n = ++sent;
        lostAnswer = n;
        Http.Response r;
        try {
          r = http.post("/management/v1/users/" + user + "/metadata/_bulk", token, body(n));
        } catch (IllegalStateException e) {
          return; // the gateway went away: the outcome of n is unknown until the check
        }
        lostAnswer = 0;
        if (r.status() != 200) {
          unexpected.add("writer " + id + " request " + n + ": " + r);
          return;
        }
        acked = n;
        applied++;
        acknowledged++;
        ackedThisRun.incrementAndGet();
      }
    }

    private String body(long n) {
      String value =
          Base64.getEncoder()
              .encodeToString(
                  ("w" + id + "-r" + n + "|" + PADDING).getBytes(StandardCharsets.UTF_8));
      JsonArray entries = new JsonArray();
      for (int k = 0; k < KEYS; k++) {
        entries.add(new JsonObject().put("key", "w" + id + "-k" + k).put("value", value));
      }
      return new JsonObject().put("metadata", entries).encode();
    }
  }
}
