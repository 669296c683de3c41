package dev.metagate.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One generation of verification keys: the library verifier built from them and their ids. */
record Jwks(JWTAuth auth, Set<String> kids) {
  static final Jwks EMPTY = new Jwks(null, Set.of());

  /** Builds a verifier from JWKs, skipping encryption keys and filling in a missing alg. */
  static Jwks of(Vertx vertx, List<JsonObject> keys, JwtSettings settings) {
    JWTAuthOptions options =
        new JWTAuthOptions()
            .setJWTOptions(
                new JWTOptions()
                    .setIssuer(settings.issuer())
                    .setAudience(settings.audience().isEmpty() ? null : settings.audience())
                    .setLeeway((int) settings.clockSkew().toSeconds()));
    Set<String> kids = new HashSet<>();
    for (JsonObject key : keys) {
      if ("enc".equals(key.getString("use"))) {
        continue;
      }
      JsonObject jwk = key.copy();
      if (jwk.getString("alg") == null) {
        String alg = defaultAlg(jwk);
        if (alg == null) {
          continue;
        }
        jwk.put("alg", alg);
      }
      options.addJwk(jwk);
      if (jwk.getString("kid") != null) {
        kids.add(jwk.getString("kid"));
      }
    }
    return new Jwks(JWTAuth.create(vertx, options), Set.copyOf(kids));
  }

  boolean loaded() {
    return auth != null;
  }

  private static String defaultAlg(JsonObject jwk) {
    String kty = jwk.getString("kty", "");
    String crv = jwk.getString("crv", "");
    return switch (kty) {
      case "RSA" -> "RS256";
      case "EC" ->
          switch (crv) {
            case "P-256" -> "ES256";
            case "P-384" -> "ES384";
            case "P-521" -> "ES512";
            default -> null;
          };
      case "OKP" -> "EdDSA";
      default -> null;
    };
  }
}
