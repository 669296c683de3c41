package dev.metagate.api.rest;

import dev.metagate.testing.Http;
import dev.metagate.testing.Http.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A client of the six v1 metadata endpoints for one caller (token, optional {@code
 * x-zitadel-orgid}). User ids and keys are percent-encoded into the path; {@link #raw} sends a path
 * as given.
 */
final class V1 {
  static final String USERS = "/management/v1/users/";

  private final Http http;
  private final String token;
  private final String org;

  V1(Http http, String token) {
    this(http, token, null);
  }

  private V1(Http http, String token, String org) {
    this.http = http;
    this.token = token;
    this.org = org;
  }

  /** The same caller acting in {@code orgId} through the {@code x-zitadel-orgid} header. */
  V1 inOrg(String orgId) {
    return new V1(http, token, orgId);
  }

  static String path(String userId, String key) {
    return USERS + Wire.segment(userId) + "/metadata/" + Wire.segment(key);
  }

  Response bulkSet(String userId, String body) {
    return raw("POST", USERS + Wire.segment(userId) + "/metadata/_bulk", body);
  }

  /** Bulk set of alternating keys and plain-text values. */
  Response bulkSetText(String userId, String... keysAndValues) {
    return bulkSet(userId, metadataBody(keysAndValues));
  }

  /** {@code {"metadata":[{"key","value"},…]}} of alternating keys and plain-text values. */
  static String metadataBody(String... keysAndValues) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      list.add(
          new JsonObject()
              .put("key", keysAndValues[i])
              .put("value", Wire.b64(keysAndValues[i + 1])));
    }
    return new JsonObject().put("metadata", list).encode();
  }

  Response set(String userId, String key, String body) {
    return raw("POST", path(userId, key), body);
  }

  Response setText(String userId, String key, String value) {
    return set(userId, key, new JsonObject().put("value", Wire.b64(value)).encode());
  }

  Response get(String userId, String key) {
    return raw("GET", path(userId, key), null);
  }

  Response list(String userId, String body) {
    return raw("POST", USERS + Wire.segment(userId) + "/metadata/_search", body);
  }

  Response remove(String userId, String key) {
    return raw("DELETE", path(userId, key), null);
  }

  Response bulkRemove(String userId, String body) {
    return raw("DELETE", USERS + Wire.segment(userId) + "/metadata/_bulk", body);
  }

  Response raw(String method, String path, String body) {
    Http.Call call = http.call(method, path).token(token).body(body);
    if (org != null) {
      call.header(dev.metagate.api.CallPipeline.ORG_HEADER, org);
    }
    return call.send();
  }
}
