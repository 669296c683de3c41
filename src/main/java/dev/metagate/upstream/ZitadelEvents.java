package dev.metagate.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * ZITADEL's event search ({@code POST /admin/v1/events/_search}, admin API {@code ListEvents}) as
 * metagate uses it: the metadata-relevant event types, oldest first, younger than a creation date.
 */
final class ZitadelEvents {
  static final String OPERATION = "ListEvents";
  static final String PATH = "/admin/v1/events/_search";
  static final List<String> TYPES =
      List.of(
          "user.metadata.set",
          "user.metadata.removed",
          "user.metadata.removed.all",
          "user.removed",
          "org.removed");

  /** One event: its type, the aggregate it belongs to (user or org id) and that one's org. */
  record Event(String type, String aggregateId, String resourceOwner, long sequence, Instant at) {
    /** Names the event among those of the same creation date (sequence is per aggregate). */
    String id() {
      return aggregateId + '/' + sequence + '/' + type;
    }

    boolean orgRemoved() {
      return type.equals("org.removed");
    }
  }

  private ZitadelEvents() {}

  /**
   * Events of {@link #TYPES} younger than {@code from} (null: from the start), oldest first when
   * {@code asc}, else newest first.
   */
  static UpstreamCall search(Credential as, Instant from, int limit, boolean asc) {
    JsonObject body =
        new JsonObject()
            .put("asc", asc)
            .put("limit", limit)
            .put("eventTypes", new JsonArray(TYPES));
    if (from != null) {
      body.put("from", from.toString());
    }
    return new UpstreamCall(
        OPERATION, HttpMethod.POST, PATH, ZitadelCalls.headers(as), body.toBuffer(), false);
  }

  static List<Event> parse(Buffer body) {
    JsonArray events = new JsonObject(body).getJsonArray("events", new JsonArray());
    List<Event> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.getJsonObject(i);
      JsonObject aggregate = e.getJsonObject("aggregate", new JsonObject());
      Object seq = e.getValue("sequence", "0");
      out.add(
          new Event(
              e.getJsonObject("type", new JsonObject()).getString("type", ""),
              aggregate.getString("id", ""),
              aggregate.getString("resourceOwner", ""),
              Long.parseUnsignedLong(seq.toString()),
              Instant.parse(e.getString("creationDate"))));
    }
    return out;
  }
}
