package dev.metagate.upstream;

import dev.metagate.metadata.MetadataEntry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads ZITADEL's answers where metagate needs their content: list pages and write details. */
final class ZitadelAnswers {
  private ZitadelAnswers() {}

  /** One page of {@code ListUserMetadata}: the counts of the whole list and this page's entries. */
  record ListPage(
      long totalResult,
      long processedSequence,
      long viewMicros,
      String resourceOwner,
      List<MetadataEntry> entries) {}

  /** Parses a 2xx list answer; a body that is not one fails with an unchecked exception. */
  static ListPage listPage(Buffer body) {
    JsonObject o = new JsonObject(body);
    JsonObject details = object(o, "details");
    JsonArray result = o.getJsonArray("result", new JsonArray());
    List<MetadataEntry> entries = new ArrayList<>(result.size());
    String owner = null;
    for (int i = 0; i < result.size(); i++) {
      JsonObject e = result.getJsonObject(i);
      JsonObject d = object(e, "details");
      owner = d.getString("resourceOwner", owner);
      entries.add(
          new MetadataEntry(
              e.getString("key"),
              Base64.getDecoder().decode(e.getString("value", "")),
              int64(d, "sequence"),
              micros(d, "creationDate"),
              micros(d, "changeDate")));
    }
    return new ListPage(
        int64(details, "totalResult"),
        int64(details, "processedSequence"),
        micros(details, "viewTimestamp"),
        owner,
        entries);
  }

  /**
   * The answer a {@code SetUserMetadata} caller gets when its set went upstream inside a merged
   * {@code BulkSetUserMetadata}: the bulk's sequence and resource owner, and its change date as the
   * creation date (both name the time of the one event that applied the set).
   */
  static UpstreamReply setAnswerFromBulk(UpstreamReply bulk) {
    JsonObject d = object(new JsonObject(bulk.body()), "details");
    JsonObject out = new JsonObject();
    copy(d, "sequence", out, "sequence");
    copy(d, "changeDate", out, "creationDate");
    copy(d, "resourceOwner", out, "resourceOwner");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    return new UpstreamReply(
        bulk.status(), headers, new JsonObject().put("details", out).toBuffer());
  }

  private static void copy(JsonObject from, String name, JsonObject to, String as) {
    Object v = from.getValue(name);
    if (v != null) {
      to.put(as, v);
    }
  }

  private static JsonObject object(JsonObject o, String name) {
    JsonObject v = o.getJsonObject(name);
    return v == null ? new JsonObject() : v;
  }

  /** protobuf's JSON writes int64 as a string; zero is left out. */
  private static long int64(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v == null) {
      return 0;
    }
    return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
  }

  private static long micros(JsonObject o, String name) {
    String v = o.getString(name);
    if (v == null) {
      return 0;
    }
    Instant t = Instant.parse(v);
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
