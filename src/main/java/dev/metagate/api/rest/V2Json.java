package dev.metagate.api.rest;

import dev.metagate.json.JsonStrings;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetadataPage;
import java.util.Base64;

/**
 * Renders the v2 User service's metadata answers as its JSON gateway does: timestamps in RFC 3339
 * UTC, uint64 as strings, bytes as padded base64, zero values left out.
 */
final class V2Json {
  private V2Json() {}

  /** {@code {"setDate":"..."}} or {@code {"deletionDate":"..."}}: one timestamp field. */
  static String date(String field, long micros) {
    if (micros == 0) {
      return "{}";
    }
    return "{\"" + field + "\":\"" + Json.timestamp(micros) + "\"}";
  }

  /** {@code ListUserMetadataResponse}: the pagination (always present) and the page's entries. */
  static String page(MetadataPage page, ListQuery query) {
    StringBuilder sb = new StringBuilder(96 + 256 * page.result().size());
    sb.append("{\"pagination\":{");
    if (page.totalResult() != 0) {
      sb.append("\"totalResult\":\"").append(page.totalResult()).append("\",");
    }
    sb.append("\"appliedLimit\":\"").append(query.effectiveLimit()).append("\"}");
    if (!page.result().isEmpty()) {
      sb.append(",\"metadata\":[");
      for (int i = 0; i < page.result().size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        entry(sb, page.result().get(i));
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  /** A {@code zitadel.metadata.v2.Metadata}: creationDate, changeDate, key, value. */
  private static void entry(StringBuilder sb, MetadataEntry e) {
    sb.append('{');
    if (e.creationMicros() != 0) {
      sb.append("\"creationDate\":\"").append(Json.timestamp(e.creationMicros())).append("\",");
    }
    if (e.changeMicros() != 0) {
      sb.append("\"changeDate\":\"").append(Json.timestamp(e.changeMicros())).append("\",");
    }
    sb.append("\"key\":");
    JsonStrings.quote(sb, e.key());
    if (e.value().length > 0) {
      sb.append(",\"value\":\"").append(Base64.getEncoder().encodeToString(e.value())).append('"');
    }
    sb.append('}');
  }
}
