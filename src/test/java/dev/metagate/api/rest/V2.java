package dev.metagate.api.rest;

import dev.metagate.testing.Http.Response;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A client of the three v2 User service metadata endpoints for one caller, over the same transport
 * as {@link V1} (so the same token and {@code x-zitadel-orgid}).
 */
final class V2 {
  static final String USERS = "/v2/users/";

  private final V1 v1;

  V2(V1 v1) {
    this.v1 = v1;
  }

  static String path(String userId) {
    return USERS + Wire.segment(userId) + "/metadata";
  }

  Response set(String userId, String body) {
    return v1.raw("POST", path(userId), body);
  }

  /** Set of alternating keys and plain-text values. */
  Response setText(String userId, String... keysAndValues) {
    return set(userId, V1.metadataBody(keysAndValues));
  }

  Response list(String userId, String body) {
    return v1.raw("POST", path(userId) + "/search", body);
  }

  /** Delete with each key percent-encoded into its own {@code keys=} parameter. */
  Response delete(String userId, String... keys) {
    String query =
        Stream.of(keys).map(k -> "keys=" + Wire.segment(k)).collect(Collectors.joining("&"));
    return deleteQuery(userId, query);
  }

  /** Delete with a raw query string, as given. */
  Response deleteQuery(String userId, String rawQuery) {
    return v1.raw("DELETE", path(userId) + (rawQuery.isEmpty() ? "" : "?" + rawQuery), null);
  }

  Response raw(String method, String path, String body) {
    return v1.raw(method, path, body);
  }
}
