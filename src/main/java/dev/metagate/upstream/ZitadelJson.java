package dev.metagate.upstream;

import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Request bodies and paths in the form ZITADEL's REST gateway reads them. */
final class ZitadelJson {
  static final String USERS = "/management/v1/users/";

  private ZitadelJson() {}

  static Buffer bulkSet(List<KeyValue> entries) {
    JsonArray list = new JsonArray();
    for (KeyValue kv : entries) {
      list.add(new JsonObject().put("key", kv.key()).put("value", b64(kv.value())));
    }
    return new JsonObject().put("metadata", list).toBuffer();
  }

  static Buffer value(byte[] value) {
    return new JsonObject().put("value", b64(value)).toBuffer();
  }

  static Buffer keys(List<String> keys) {
    return new JsonObject().put("keys", new JsonArray(List.copyOf(keys))).toBuffer();
  }

  static Buffer list(ListQuery page, List<KeyQuery> queries) {
    JsonObject query =
        new JsonObject()
            .put("offset", Long.toString(page.offset()))
            .put("limit", page.limit())
            .put("asc", page.asc());
    JsonArray qs = new JsonArray();
    for (KeyQuery q : queries) {
      qs.add(
          new JsonObject()
              .put(
                  "keyQuery",
                  new JsonObject()
                      .put("key", q.key())
                      .put("method", "TEXT_QUERY_METHOD_" + q.method().name())));
    }
    return new JsonObject().put("query", query).put("queries", qs).toBuffer();
  }

  /** {@code /management/v1/users/{userId}/metadata/{last}}, each segment percent-encoded. */
  static String path(String userId, String last) {
    return USERS + segment(userId) + "/metadata/" + segment(last);
  }

  /** {@code /v2/users/{userId}/metadata{rest}}, the user id percent-encoded. */
  static String pathV2(String userId, String rest) {
    return "/v2/users/" + segment(userId) + "/metadata" + rest;
  }

  /** Percent-encodes all but RFC 3986's unreserved characters, so '/' stays inside a key. */
  static String segment(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  private static String b64(byte[] value) {
    return Base64.getEncoder().encodeToString(value);
  }
}
