package dev.metagate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The few v1 calls the PostgreSQL gateway tests make, with their answers decoded. */
final class PgWire {
  private PgWire() {}

  static String path(String user, String key) {
    return "/management/v1/users/" + user + "/metadata/" + key;
  }

  /** Sets every key to {@code value} in one bulk request. */
  static Http.Response bulkSet(
      Http http, String token, String user, List<String> keys, String value) {
    JsonArray entries = new JsonArray();
    keys.forEach(k -> entries.add(new JsonObject().put("key", k).put("value", b64(value))));
    return http.post(
        path(user, "_bulk"), token, new JsonObject().put("metadata", entries).encode());
  }

  static Http.Response set(Http http, String token, String user, String key, String value) {
    return http.post(path(user, key), token, new JsonObject().put("value", b64(value)).encode());
  }

  /** The decoded value of {@code key}, or null when it is not found. */
  static String get(Http http, String token, String user, String key) {
    Http.Response r = http.get(path(user, key), token);
    if (r.status() == 404) {
      return null;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return decode(r.json().getJsonObject("metadata").getString("value"));
  }

  /** {@code details.sequence} of a write's answer. */
  static long sequence(Http.Response r) {
    return Long.parseLong(r.json().getJsonObject("details").getString("sequence", "0"));
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
