package dev.metagate.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;

/** Where token verification keys come from: a fixed set or an issuer's JWKS endpoint. */
public interface KeySource {
  /** The current public keys, as JWK objects. */
  Future<List<JsonObject>> fetch();

  /** Always the same keys (the dev issuer's, or a test's). */
  static KeySource fixed(List<JsonObject> keys) {
    List<JsonObject> copy = List.copyOf(keys);
    return () -> Future.succeededFuture(copy);
  }

  /** The JWKS document at {@code url}, fetched over HTTP(S) with the given client. */
  static KeySource jwks(WebClient client, String url) {
    return () ->
        client
            .getAbs(url)
            .timeout(10_000)
            .send()
            .map(
                resp -> {
                  if (resp.statusCode() != 200) {
                    throw new IllegalStateException("JWKS answered HTTP " + resp.statusCode());
                  }
                  JsonArray keys = resp.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
                  List<JsonObject> out = new ArrayList<>();
                  for (Object k : keys) {
                    if (k instanceof JsonObject jwk) {
                      out.add(jwk);
                    }
                  }
                  return out;
                });
  }
}
