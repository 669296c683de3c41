package dev.metagate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real in-process token issuer: RSA and EC signing keys, a JWKS served over HTTP on a free port
 * (at {@code /oauth/v2/keys}, as ZITADEL serves it), and signing of arbitrary tokens, including
 * deliberately broken ones for attack tests.
 */
public final class TestIssuer implements AutoCloseable {
  public static final String ORG_CLAIM = "urn:zitadel:iam:user:resourceowner:id";
  public static final String ROLES_CLAIM = "urn:zitadel:iam:org:project:roles";

  private final Vertx vertx;
  private final HttpServer server;
  private final KeyPair rsa;
  private final KeyPair ec;
  private final String rsaKid = "rsa-1";
  private final String ecKid = "ec-1";
  private final KeyPair ed;
  private final String edKid = "ed-1";
  private volatile boolean publishEc = true;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private volatile KeyPair extraRsa;
  private volatile String extraKid;

  private TestIssuer(Vertx vertx, HttpServer server, KeyPair rsa, KeyPair ec, KeyPair ed) {
    this.vertx = vertx;
    this.server = server;
    this.rsa = rsa;
    this.ec = ec;
    this.ed = ed;
  }

  public static TestIssuer start() {
    try {
      KeyPair rsa = rsaKeyPair();
      KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
      ecGen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair ec = ecGen.generateKeyPair();
      Vertx vertx = Vertx.vertx();
      TestIssuer[] self = new TestIssuer[1];
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  req -> {
                    if (req.path().equals("/oauth/v2/keys")) {
                      self[0].jwksFetches.incrementAndGet();
                      req.response()
                          .putHeader("content-type", "application/json")
                          .end(self[0].jwks().encode());
                    } else {
                      req.response().setStatusCode(404).end();
                    }
                  });
      TestIssuer issuer =
          new TestIssuer(
              vertx, server, rsa, ec, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
      self[0] = issuer;
      server.listen(0, "127.0.0.1").await();
      return issuer;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    return gen.generateKeyPair();
  }

  /** The issuer URL, which tokens carry as {@code iss}. */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** Publishes one more RSA key (a key rotation); returns its kid. */
  public String rotateIn(KeyPair key, String kid) {
    this.extraRsa = key;
    this.extraKid = kid;
    return kid;
  }

  public JsonObject jwks() {
    JsonArray keys = new JsonArray().add(rsaJwk((RSAPublicKey) rsa.getPublic(), rsaKid));
    if (publishEc) {
      keys.add(ecJwk((ECPublicKey) ec.getPublic(), ecKid));
    }
    keys.add(edJwk(ed, edKid));
    if (extraRsa != null) {
      keys.add(rsaJwk((RSAPublicKey) extraRsa.getPublic(), extraKid));
    }
    return new JsonObject().put("keys", keys);
  }

  /** Claims of a normal token for {@code sub} in {@code org}, valid for an hour. */
  public JsonObject claims(String sub, String org, String... roles) {
    long now = Instant.now().getEpochSecond();
    JsonObject c =
        new JsonObject()
            .put("iss", url())
            .put("sub", sub)
            .put("aud", new JsonArray().add("metagate-tests"))
            .put("iat", now)
            .put("nbf", now)
            .put("exp", now + 3600)
            .put(ORG_CLAIM, org);
    if (roles.length > 0) {
      JsonObject byRole = new JsonObject();
      for (String role : roles) {
        byRole.put(role, new JsonObject().put(org, org + ".example.com"));
      }
      c.put(ROLES_CLAIM, byRole);
    }
    return c;
  }

  /** A role granted in several orgs: {@code {"ROLE": {org: domain, ...}}}. */
  public static JsonObject roleIn(String role, String... orgs) {
    JsonObject byOrg = new JsonObject();
    for (String o : orgs) {
      byOrg.put(o, o + ".example.com");
    }
    return new JsonObject().put(role, byOrg);
  }

  /** An RS256 token for {@code sub} in {@code org} holding {@code roles} there. */
  public String token(String sub, String org, String... roles) {
    return rs256(claims(sub, org, roles));
  }

  public String rs256(JsonObject claims) {
    return sign(header("RS256", rsaKid), claims, "SHA256withRSA", rsa.getPrivate());
  }

  public String es256(JsonObject claims) {
    return sign(header("ES256", ecKid), claims, "SHA256withECDSAinP1363Format", ec.getPrivate());
  }

  /** An EdDSA (Ed25519) token. */
  public String eddsa(JsonObject claims) {
    return sign(header("EdDSA", edKid), claims, "Ed25519", ed.getPrivate());
  }

  /** RS256 with any key and kid, e.g. a foreign key or an unpublished kid. */
  public static String rs256With(KeyPair key, String kid, JsonObject claims) {
    return sign(header("RS256", kid), claims, "SHA256withRSA", key.getPrivate());
  }

  /** An unsigned token ({@code alg: none}). */
  public static String none(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode())
        + "."
        + b64(claims.encode())
        + ".";
  }

  /** HS256 keyed with the issuer's public RSA key bytes: the classic key-confusion attack. */
  public String hs256WithPublicKey(JsonObject claims) {
    String signingInput = b64(header("HS256", rsaKid).encode()) + "." + b64(claims.encode());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
      return signingInput
          + "."
          + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code token} with its payload replaced by {@code claims}, keeping the old signature. */
  public static String tamper(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + b64(claims.encode()) + "." + parts[2];
  }

  public static Map<String, Object> orgRoles(String org, List<String> roles) {
    JsonObject byRole = new JsonObject();
    roles.forEach(r -> byRole.put(r, new JsonObject().put(org, org)));
    return Map.of(ROLES_CLAIM, byRole);
  }

  private static JsonObject header(String alg, String kid) {
    return new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid);
  }

  private static String sign(JsonObject header, JsonObject claims, String alg, PrivateKey key) {
    String signingInput = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject rsaJwk(RSAPublicKey k, String kid) {
    return new JsonObject()
        .put("kty", "RSA")
        .put("use", "sig")
        .put("alg", "RS256")
        .put("kid", kid)
        .put("n", b64(unsigned(k.getModulus())))
        .put("e", b64(unsigned(k.getPublicExponent())));
  }

  private static JsonObject ecJwk(ECPublicKey k, String kid) {
    return new JsonObject()
        .put("kty", "EC")
        .put("use", "sig")
        .put("alg", "ES256")
        .put("crv", "P-256")
        .put("kid", kid)
        .put("x", b64(fixed(k.getW().getAffineX(), 32)))
        .put("y", b64(fixed(k.getW().getAffineY(), 32)));
  }

  /** The raw 32-byte Ed25519 public key is the tail of its X.509 encoding. */
  private static JsonObject edJwk(KeyPair key, String kid) {
    byte[] der = key.getPublic().getEncoded();
    byte[] x = Arrays.copyOfRange(der, der.length - 32, der.length);
    return new JsonObject()
        .put("kty", "OKP")
        .put("use", "sig")
        .put("alg", "EdDSA")
        .put("crv", "Ed25519")
        .put("kid", kid)
        .put("x", b64(x));
  }

  private static byte[] unsigned(BigInteger i) {
    byte[] b = i.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] fixed(BigInteger i, int len) {
    byte[] b = unsigned(i);
    if (b.length == len) {
      return b;
    }
    byte[] out = new byte[len];
    System.arraycopy(b, 0, out, len - b.length, b.length);
    return out;
  }

  static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
