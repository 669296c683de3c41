package dev.metagate.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake ZITADEL's event store, as its admin {@code ListEvents} shows it: events with a creation
 * date in microseconds (strictly increasing here), a sequence per aggregate, filtered by type and
 * {@code from} (younger than, when ascending; older than, when descending), at most {@code limit}.
 */
final class FakeEvents {
  private record Stored(
      String type, String aggregateType, String id, String owner, long seq, Instant at) {}

  private final List<Stored> events = new ArrayList<>(); // guarded by this
  private final Map<String, Long> sequences = new ConcurrentHashMap<>();
  private Instant last = Instant.EPOCH;

  synchronized void add(String type, String aggregateType, String id, String owner) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
    long seq = sequences.merge(id, 1L, Long::sum);
    events.add(new Stored(type, aggregateType, id, owner, seq, last));
  }

  synchronized JsonObject search(JsonObject q) {
    boolean asc = q.getBoolean("asc", false);
    int limit = q.getInteger("limit", 1000);
    Instant from = q.getString("from") == null ? null : Instant.parse(q.getString("from"));
    JsonArray typesJson = q.getJsonArray("eventTypes", q.getJsonArray("event_types"));
    Set<Object> types = typesJson == null ? null : new HashSet<>(typesJson.getList());
    List<Stored> ordered = new ArrayList<>(events);
    if (!asc) {
      java.util.Collections.reverse(ordered);
    }
    JsonArray out = new JsonArray();
    for (Stored e : ordered) {
      boolean inRange = from == null || (asc ? e.at.isAfter(from) : e.at.isBefore(from));
      if (inRange && (types == null || types.contains(e.type)) && out.size() < limit) {
        out.add(json(e));
      }
    }
    return new JsonObject().put("events", out);
  }

  private static JsonObject json(Stored e) {
    return new JsonObject()
        .put("editor", new JsonObject().put("userId", "fake-editor").put("service", "fake"))
        .put(
            "aggregate",
            new JsonObject()
                .put("id", e.id)
                .put("type", new JsonObject().put("type", e.aggregateType))
                .put("resourceOwner", e.owner))
        .put("sequence", Long.toString(e.seq))
        .put("creationDate", e.at.toString())
        .put("payload", new JsonObject())
        .put("type", new JsonObject().put("type", e.type));
  }
}
