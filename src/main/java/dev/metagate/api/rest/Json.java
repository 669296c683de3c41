package dev.metagate.api.rest;

import dev.metagate.metadata.Details;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetadataPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.Base64;

/**
 * Renders domain results as ZITADEL's JSON: int64 as strings, RFC 3339 UTC timestamps with 0, 3, 6
 * or 9 fraction digits (as protobuf's JSON mapping does), padded standard base64 for bytes, and
 * zero values left out.
 */
final class Json {
  private Json() {}

  static JsonObject details(Details d) {
    JsonObject o = new JsonObject();
    putInt64(o, "sequence", d.sequence());
    putTimestamp(o, "creationDate", d.creationMicros());
    putTimestamp(o, "changeDate", d.changeMicros());
    if (d.resourceOwner() != null && !d.resourceOwner().isEmpty()) {
      o.put("resourceOwner", d.resourceOwner());
    }
    return o;
  }

  static JsonObject entry(MetadataEntry e, String orgId) {
    JsonObject o = new JsonObject();
    o.put(
        "details", details(new Details(e.sequence(), e.creationMicros(), e.changeMicros(), orgId)));
    o.put("key", e.key());
    if (e.value().length > 0) {
      o.put("value", Base64.getEncoder().encodeToString(e.value()));
    }
    return o;
  }

  static JsonObject page(MetadataPage page, String orgId) {
    JsonObject details = new JsonObject();
    putInt64(details, "totalResult", page.totalResult());
    putInt64(details, "processedSequence", page.processedSequence());
    putTimestamp(details, "viewTimestamp", page.viewMicros());
    JsonObject o = new JsonObject();
    if (!details.isEmpty()) {
      o.put("details", details);
    }
    if (!page.result().isEmpty()) {
      JsonArray result = new JsonArray();
      page.result().forEach(e -> result.add(entry(e, orgId)));
      o.put("result", result);
    }
    return o;
  }

  static JsonObject withDetails(Details d) {
    return new JsonObject().put("details", details(d));
  }

  static void putInt64(JsonObject o, String name, long value) {
    if (value != 0) {
      o.put(name, Long.toString(value));
    }
  }

  static void putTimestamp(JsonObject o, String name, long micros) {
    if (micros != 0) {
      o.put(name, timestamp(micros));
    }
  }

  /** RFC 3339 in UTC with the fewest of 0, 3 or 6 fraction digits that hold the value. */
  static String timestamp(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000);
    int fraction = (int) Math.floorMod(micros, 1_000_000);
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    StringBuilder sb = new StringBuilder(27);
    digits(sb, date.getYear(), 4).append('-');
    digits(sb, date.getMonthValue(), 2).append('-');
    digits(sb, date.getDayOfMonth(), 2).append('T');
    digits(sb, secondOfDay / 3600, 2).append(':');
    digits(sb, secondOfDay / 60 % 60, 2).append(':');
    digits(sb, secondOfDay % 60, 2);
    if (fraction % 1000 == 0 && fraction != 0) {
      digits(sb.append('.'), fraction / 1000, 3);
    } else if (fraction != 0) {
      digits(sb.append('.'), fraction, 6);
    }
    return sb.append('Z').toString();
  }

  /**
   * Appends {@code value} zero-padded to {@code width} digits; formatters (String.format,
   * DateTimeFormatter) showed up in profiles of cached reads.
   */
  private static StringBuilder digits(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
