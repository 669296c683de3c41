package dev.metagate.api.rest;

import dev.metagate.json.JsonStrings;
import dev.metagate.metadata.Details;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetadataPage;
import java.time.LocalDate;
import java.util.Base64;

/**
 * Renders domain results as ZITADEL's JSON: int64 as strings, RFC 3339 UTC timestamps with 0, 3, 6
 * or 9 fraction digits (as protobuf's JSON mapping does), padded standard base64 for bytes, and
 * zero values left out.
 */
final class Json {
  private Json() {}

  /** {@code {"details":{...}}}, the answer of every write. */
  static String withDetails(Details d) {
    StringBuilder sb = new StringBuilder(160);
    Obj o = new Obj(sb).name("details");
    details(sb, d);
    o.end();
    return sb.toString();
  }

  /** {@code {"metadata":{...}}}, the answer of Get. */
  static String metadata(MetadataEntry e, String orgId) {
    StringBuilder sb = new StringBuilder(256 + e.value().length * 4 / 3);
    Obj o = new Obj(sb).name("metadata");
    entry(sb, e, orgId);
    o.end();
    return sb.toString();
  }

  /** The answer of List: details of the page and the entries, when there are any. */
  static String page(MetadataPage page, String orgId) {
    StringBuilder sb = new StringBuilder(128 + 256 * page.result().size());
    Obj o = new Obj(sb);
    if (page.totalResult() != 0 || page.processedSequence() != 0 || page.viewMicros() != 0) {
      Obj d = new Obj(o.name("details").sb);
      int64(d, "totalResult", page.totalResult());
      int64(d, "processedSequence", page.processedSequence());
      timestamp(d, "viewTimestamp", page.viewMicros());
      d.end();
    }
    if (!page.result().isEmpty()) {
      o.name("result");
      sb.append('[');
      for (int i = 0; i < page.result().size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        entry(sb, page.result().get(i), orgId);
      }
      sb.append(']');
    }
    o.end();
    return sb.toString();
  }

  static String details(Details d) {
    StringBuilder sb = new StringBuilder(128);
    details(sb, d);
    return sb.toString();
  }

  private static void details(StringBuilder sb, Details d) {
    Obj o = new Obj(sb);
    int64(o, "sequence", d.sequence());
    timestamp(o, "creationDate", d.creationMicros());
    timestamp(o, "changeDate", d.changeMicros());
    if (d.resourceOwner() != null && !d.resourceOwner().isEmpty()) {
      JsonStrings.quote(o.name("resourceOwner").sb, d.resourceOwner());
    }
    o.end();
  }

  private static void entry(StringBuilder sb, MetadataEntry e, String orgId) {
    Obj o = new Obj(sb).name("details");
    details(sb, new Details(e.sequence(), e.creationMicros(), e.changeMicros(), orgId));
    JsonStrings.quote(o.name("key").sb, e.key());
    if (e.value().length > 0) {
      o.name("value")
          .sb
          .append('"')
          .append(Base64.getEncoder().encodeToString(e.value()))
          .append('"');
    }
    o.end();
  }

  private static void int64(Obj o, String name, long value) {
    if (value != 0) {
      o.name(name).sb.append('"').append(value).append('"');
    }
  }

  private static void timestamp(Obj o, String name, long micros) {
    if (micros != 0) {
      o.name(name).sb.append('"').append(timestamp(micros)).append('"');
    }
  }

  /**
   * Writes one JSON object field by field. Rendering by hand instead of building a JsonObject for
   * Jackson was the largest saving on the cached-read path.
   */
  private static final class Obj {
    final StringBuilder sb;
    private boolean first = true;

    Obj(StringBuilder sb) {
      this.sb = sb;
      sb.append('{');
    }

    /** Starts a field; {@code name} is one of ours and needs no escaping. */
    Obj name(String name) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('"').append(name).append("\":");
      return this;
    }

    void end() {
      sb.append('}');
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
