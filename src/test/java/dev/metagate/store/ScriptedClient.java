package dev.metagate.store;

import dev.metagate.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One client of {@link ConcurrentWritesTest}: a seeded random mix of v1 writes and reads against
 * several users, one request at a time. Keys named {@code c<id>-k<n>} are written by this client
 * alone, so its model of them is exact; the {@code shared-<n>} keys are written by every client.
 * Every acknowledged write is logged with the number of events it caused and its sequence.
 */
final class ScriptedClient implements Runnable {
  static final int OWN_KEYS = 6;
  static final int SHARED_KEYS = 3;

  /**
   * An acknowledged write: {@code events} keys changed, the user's sequence is then {@code seq}.
   */
  record Ack(String user, int client, String sharedKey, String value, int events, long sequence) {}

  private final int id;
  private final Http http;
  private final String token;
  private final List<String> users;
  private final int ops;
  private final Random rnd;
  private final Map<String, Map<String, String>> model = new HashMap<>();
  private final Map<String, Long> lastSequence = new HashMap<>();
  private final List<Ack> acks = new ArrayList<>();
  private volatile Throwable failure;

  ScriptedClient(int id, Http http, String token, List<String> users, int ops) {
    this.id = id;
    this.http = http;
    this.token = token;
    this.users = users;
    this.ops = ops;
    this.rnd = new Random(1000L + id);
    users.forEach(u -> model.put(u, new LinkedHashMap<>()));
  }

  @Override
  public void run() {
    try {
      for (int i = 0; i < ops; i++) {
        step(i);
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void step(int i) {
    String user = users.get(rnd.nextInt(users.size()));
    Map<String, String> own = model.get(user);
    int dice = rnd.nextInt(100);
    if (dice < 25) {
      bulkSet(user, own, i);
    } else if (dice < 45 || (dice < 80 && own.isEmpty())) {
      set(user, own, randomOwnKey(), "c" + id + "-o" + i);
    } else if (dice < 50) {
      String key = existing(own, 1).get(0);
      set(user, own, key, own.get(key));
    } else if (dice < 60) {
      remove(user, own, existing(own, 1).get(0));
    } else if (dice < 65) {
      removeMissing(user, own);
    } else if (dice < 75) {
      bulkRemove(user, own, existing(own, 1 + rnd.nextInt(Math.min(3, own.size()))));
    } else if (dice < 80) {
      bulkRemoveWithMissing(user, own);
    } else if (dice < 95) {
      setShared(user, "shared-" + rnd.nextInt(SHARED_KEYS), "c" + id + "-o" + i);
    } else {
      readOwn(user, own);
    }
  }

  private void bulkSet(String user, Map<String, String> own, int i) {
    List<String> keys = new ArrayList<>();
    while (keys.size() < 1 + rnd.nextInt(4)) {
      String k = randomOwnKey();
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    JsonArray entries = new JsonArray();
    keys.forEach(k -> entries.add(new JsonObject().put("key", k).put("value", b64(value(k, i)))));
    Http.Response r =
        http.post(path(user, "_bulk"), token, new JsonObject().put("metadata", entries).encode());
    expect(r, 200);
    keys.forEach(k -> own.put(k, value(k, i)));
    ack(user, null, null, keys.size(), r);
  }

  private void set(String user, Map<String, String> own, String key, String value) {
    boolean changes = !value.equals(own.get(key));
    Http.Response r =
        http.post(path(user, key), token, new JsonObject().put("value", b64(value)).encode());
    expect(r, 200);
    own.put(key, value);
    ack(user, null, value, changes ? 1 : 0, r);
  }

  private void setShared(String user, String key, String value) {
    Http.Response r =
        http.post(path(user, key), token, new JsonObject().put("value", b64(value)).encode());
    expect(r, 200);
    ack(user, key, value, 1, r);
  }

  private void remove(String user, Map<String, String> own, String key) {
    Http.Response r = http.delete(path(user, key), token);
    expect(r, 200);
    own.remove(key);
    ack(user, null, null, 1, r);
  }

  private void bulkRemove(String user, Map<String, String> own, List<String> keys) {
    Http.Response r =
        http.delete(
            path(user, "_bulk"), token, new JsonObject().put("keys", new JsonArray(keys)).encode());
    expect(r, 200);
    keys.forEach(own::remove);
    ack(user, null, null, keys.size(), r);
  }

  /** Rejected (404) and must change nothing, also for the requests committed beside it. */
  private void removeMissing(String user, Map<String, String> own) {
    expect(http.delete(path(user, missingOwnKey(own)), token), 404);
  }

  private void bulkRemoveWithMissing(String user, Map<String, String> own) {
    List<String> keys = new ArrayList<>(existing(own, 1));
    keys.add(missingOwnKey(own));
    String body = new JsonObject().put("keys", new JsonArray(keys)).encode();
    expect(http.delete(path(user, "_bulk"), token, body), 404);
  }

  /** Read-your-writes through the cache: an acknowledged write is visible at once. */
  private void readOwn(String user, Map<String, String> own) {
    if (own.isEmpty()) {
      expect(http.get(path(user, randomOwnKey()), token), 404);
      return;
    }
    String key = existing(own, 1).get(0);
    Http.Response r = http.get(path(user, key), token);
    expect(r, 200);
    String value = r.json().getJsonObject("metadata").getString("value");
    if (!own.get(key).equals(decode(value))) {
      throw new AssertionError("client " + id + " read a stale " + user + "/" + key + ": " + r);
    }
  }

  private void ack(String user, String sharedKey, String value, int events, Http.Response r) {
    long seq = sequence(r.json().getJsonObject("details"), "sequence");
    long previous = lastSequence.getOrDefault(user, 0L);
    if (seq < previous || (events > 0 && seq == previous)) {
      throw new AssertionError("client " + id + " saw " + user + " go back: " + previous + " " + r);
    }
    lastSequence.put(user, seq);
    acks.add(new Ack(user, id, sharedKey, value, events, seq));
  }

  private void expect(Http.Response r, int status) {
    if (r.status() != status) {
      throw new AssertionError("client " + id + " expected " + status + ", got " + r);
    }
  }

  private List<String> existing(Map<String, String> own, int n) {
    List<String> keys = new ArrayList<>(own.keySet());
    java.util.Collections.shuffle(keys, rnd);
    return keys.subList(0, n);
  }

  private String randomOwnKey() {
    return "c" + id + "-k" + rnd.nextInt(OWN_KEYS);
  }

  private String missingOwnKey(Map<String, String> own) {
    return "c" + id + "-missing-" + own.size();
  }

  private String value(String key, int i) {
    return key + "-o" + i;
  }

  int id() {
    return id;
  }

  /** This client's keys of {@code user} as it last wrote them. */
  Map<String, String> model(String user) {
    return model.get(user);
  }

  List<Ack> acks() {
    return acks;
  }

  Throwable failure() {
    return failure;
  }

  static String path(String user, String key) {
    return "/management/v1/users/" + user + "/metadata/" + key;
  }

  static long sequence(JsonObject details, String field) {
    return details == null ? 0 : Long.parseLong(details.getString(field, "0"));
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
