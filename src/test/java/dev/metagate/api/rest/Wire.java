package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the v1 REST API must put on the wire, for exact comparisons: ZITADEL's error bodies, and
 * responses with their volatile timestamps checked for format and then masked.
 */
final class Wire {
  /** What every timestamp field reads as after {@link #masked}. */
  static final String TS = "<timestamp>";

  /** RFC 3339 in UTC with {@code Z} and 0, 3 or 6 fraction digits, as protobuf's JSON writes. */
  static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3}|\\.\\d{6})?Z");

  static final String ERROR_DETAIL_TYPE = "type.googleapis.com/zitadel.v1.ErrorDetail";

  private static final Set<String> TIMESTAMP_FIELDS =
      Set.of("creationDate", "changeDate", "viewTimestamp", "setDate", "deletionDate");

  private Wire() {}

  /** The JSON body of {@code r}, after checking the status and the content type. */
  static JsonObject json(Response r, int status) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("content-type")).as(r.toString()).startsWith("application/json");
    return r.json();
  }

  /** {@link #json} with every timestamp checked by {@link #TIMESTAMP} and replaced by TS. */
  static JsonObject masked(Response r, int status) {
    return masked(json(r, status));
  }

  static JsonObject masked(JsonObject json) {
    JsonObject out = new JsonObject();
    for (String name : json.fieldNames()) {
      Object v = json.getValue(name);
      if (TIMESTAMP_FIELDS.contains(name)) {
        assertThat(v).as(name).isInstanceOf(String.class);
        assertThat((String) v).as(name).matches(TIMESTAMP);
        Instant.parse((String) v);
        out.put(name, TS);
      } else {
        out.put(name, masked(v));
      }
    }
    return out;
  }

  private static Object masked(Object v) {
    if (v instanceof JsonObject o) {
      return masked(o);
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(item -> out.add(masked(item)));
      return out;
    }
    return v;
  }

  /** ZITADEL's business error: message "text (ID)" and one ErrorDetail. */
  static JsonObject error(int code, String id, String text) {
    return new JsonObject()
        .put("code", code)
        .put("message", text + " (" + id + ")")
        .put(
            "details",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("@type", ERROR_DETAIL_TYPE)
                        .put("id", id)
                        .put("message", text)));
  }

  /** An error without a ZITADEL id (field validation, auth, routing): no details at all. */
  static JsonObject error(int code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }

  /** The PGV-style message of a string length rule broken by field {@code fieldPath}. */
  static JsonObject runesError(String fieldPath) {
    return error(
        3, "invalid " + fieldPath + ": value length must be between 1 and 200 runes, inclusive");
  }

  /** Details of a write: set answers with creationDate, bulk and remove with changeDate. */
  static JsonObject details(String dateField, long sequence, String org) {
    return new JsonObject()
        .put(
            "details",
            new JsonObject()
                .put("sequence", Long.toString(sequence))
                .put(dateField, TS)
                .put("resourceOwner", org));
  }

  /** One metadata entry as Get and List render it, timestamps masked. */
  static JsonObject entry(String key, String base64Value, long sequence, String org) {
    return new JsonObject()
        .put(
            "details",
            new JsonObject()
                .put("sequence", Long.toString(sequence))
                .put("creationDate", TS)
                .put("changeDate", TS)
                .put("resourceOwner", org))
        .put("key", key)
        .put("value", base64Value);
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Percent-encodes a path segment: everything but RFC 3986 unreserved characters. */
  static String segment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
