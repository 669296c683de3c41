package dev.metagate.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * metagate's own token issuer for a laptop: an RSA key kept in a file (created on first use), its
 * JWKS, and signed tokens carrying ZITADEL's claims. Never for production.
 */
public final class DevIssuer {
  /** The key file's name inside the data directory. */
  public static final String KEY_FILE = "dev-issuer-key.pem";

  private final String privatePem;
  private final JsonObject publicJwk;

  private DevIssuer(String privatePem, JsonObject publicJwk) {
    this.privatePem = privatePem;
    this.publicJwk = publicJwk;
  }

  /** Reads the key in {@code dir}, creating it (readable by the owner only) when missing. */
  public static DevIssuer loadOrCreate(Path dir) throws IOException {
    Path file = dir.resolve(KEY_FILE);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(dir);
        writeNewKey(file);
      }
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      return new DevIssuer(pem, publicJwk(pem));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("dev issuer key " + file + " is unusable: " + e.getMessage(), e);
    }
  }

  /** The public key as a JWK, with kid, alg and use. */
  public JsonObject publicJwk() {
    return publicJwk.copy();
  }

  /** The JWKS document served on the admin port. */
  public JsonObject jwks() {
    return new JsonObject().put("keys", new JsonArray().add(publicJwk()));
  }

  /** A signed token for {@code subject} in {@code org}, holding {@code roles} in that org. */
  public String issue(
      Vertx vertx, String issuer, String subject, String org, List<String> roles, Duration ttl) {
    JsonObject byRole = new JsonObject();
    for (String role : roles) {
      byRole.put(role, new JsonObject().put(org, org + ".localhost"));
    }
    JsonObject claims = new JsonObject().put(Claims.ORG_CLAIM, org);
    if (!roles.isEmpty()) {
      claims.put(Claims.ROLES_CLAIM, byRole);
    }
    JWTAuth signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions()
                        .setAlgorithm("RS256")
                        .setId(publicJwk.getString("kid"))
                        .setBuffer(privatePem)));
    return signer.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm("RS256")
            .setIssuer(issuer)
            .setSubject(subject)
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttl.toSeconds()))
            .setHeader(new JsonObject().put("kid", publicJwk.getString("kid"))));
  }

  private static void writeNewKey(Path file) throws IOException, GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    byte[] pkcs8 = gen.generateKeyPair().getPrivate().getEncoded();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
            + "\n-----END PRIVATE KEY-----\n";
    Path tmp = Files.createTempFile(file.getParent(), KEY_FILE, ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default permissions
      }
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      // a hard link appears atomically and fails if another process created the key first
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException e) {
      // the other process's key wins; it is read back by the caller
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static JsonObject publicJwk(String pem) throws GeneralSecurityException {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    KeyFactory kf = KeyFactory.getInstance("RSA");
    RSAPrivateCrtKey priv =
        (RSAPrivateCrtKey)
            kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    RSAPublicKey pub =
        (RSAPublicKey)
            kf.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
    String n = b64url(unsigned(pub.getModulus()));
    String e = b64url(unsigned(pub.getPublicExponent()));
    byte[] thumb =
        MessageDigest.getInstance("SHA-256")
            .digest(
                ("{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
    return new JsonObject()
        .put("kty", "RSA")
        .put("use", "sig")
        .put("alg", "RS256")
        .put("kid", b64url(thumb).substring(0, 16))
        .put("n", n)
        .put("e", e);
  }

  private static byte[] unsigned(BigInteger i) {
    byte[] b = i.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static String b64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
