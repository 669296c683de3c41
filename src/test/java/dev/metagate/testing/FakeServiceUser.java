package dev.metagate.testing;

import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake ZITADEL's service user with one key, and its side of the JWT profile grant: it checks an
 * assertion as ZITADEL does (RS256 signature by the key, {@code kid}, {@code iss} = {@code sub} =
 * the user, {@code aud} = the instance's origin, not expired, the ZITADEL API scope) and issues
 * opaque access tokens that expire after {@link #lifetime}.
 */
public final class FakeServiceUser {
  public static final String USER_ID = "metagate-sa";
  public static final String KEY_ID = "key-1";
  private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final String API_SCOPE = "urn:zitadel:iam:org:project:id:zitadel:aud";

  private final KeyPair key;
  private final Map<String, Long> issued = new ConcurrentHashMap<>(); // token -> expiry (nanos)
  private final AtomicInteger grants = new AtomicInteger();
  private volatile Duration lifetime = Duration.ofHours(12);
  private volatile boolean refused;
  private volatile JsonObject lastAssertion;

  FakeServiceUser() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      this.key = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key file as ZITADEL's console downloads it: the private key in PKCS#1 PEM. */
  public String keyFile() {
    return keyFile("RSA PRIVATE KEY", pkcs1(key.getPrivate().getEncoded()));
  }

  /** The same key in PKCS#8 PEM ({@code PRIVATE KEY}), as a converted file would hold it. */
  public String keyFilePkcs8() {
    return keyFile("PRIVATE KEY", key.getPrivate().getEncoded());
  }

  private static String keyFile(String label, byte[] der) {
    String pem =
        "-----BEGIN "
            + label
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + label
            + "-----\n";
    return new JsonObject()
        .put("type", "serviceaccount")
        .put("keyId", KEY_ID)
        .put("key", pem)
        .put("userId", USER_ID)
        .encodePrettily();
  }

  /** The PKCS#1 key inside a PKCS#8 encoding: the content of its OCTET STRING. */
  private static byte[] pkcs1(byte[] pkcs8) {
    int i = skipHeader(pkcs8, 0); // into the outer SEQUENCE
    i = skipElement(pkcs8, i); // version
    i = skipElement(pkcs8, i); // algorithm
    int start = skipHeader(pkcs8, i); // the OCTET STRING's content
    return Arrays.copyOfRange(pkcs8, start, skipElement(pkcs8, i));
  }

  private static int skipHeader(byte[] der, int at) {
    int len = der[at + 1] & 0xff;
    return at + 2 + (len < 0x80 ? 0 : len & 0x7f);
  }

  private static int skipElement(byte[] der, int at) {
    int len = der[at + 1] & 0xff;
    int n = len;
    if (len >= 0x80) {
      n = 0;
      for (int k = 0; k < (len & 0x7f); k++) {
        n = (n << 8) | (der[at + 2 + k] & 0xff);
      }
    }
    return skipHeader(der, at) + n;
  }

  /** Access tokens issued from now on expire after {@code d}. */
  public void lifetime(Duration d) {
    lifetime = d;
  }

  /** From now on assertions are refused (the key was deleted), or accepted again. */
  public void refuse(boolean on) {
    refused = on;
  }

  /** Access tokens issued so far. */
  public int grants() {
    return grants.get();
  }

  /** The claims of the latest assertion that was accepted, or null. */
  public JsonObject lastAssertion() {
    return lastAssertion;
  }

  /** True for {@code Bearer} plus a token issued here that has not expired. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    Long until = issued.get(authorization.substring(7));
    return until != null && System.nanoTime() - until < 0;
  }

  /** True when {@code form} asks for the JWT profile grant (other grants are not this user's). */
  static boolean isJwtProfile(String form) {
    return GRANT.equals(fields(form).get("grant_type"));
  }

  /** ZITADEL's token endpoint answer to {@code form}: a status and a JSON body. */
  Answer grant(String form, String origin) {
    Map<String, String> f = fields(form);
    String scope = f.getOrDefault("scope", "");
    if (!Arrays.asList(scope.split(" ")).contains(API_SCOPE)) {
      return refusal("invalid_scope", "the ZITADEL API scope is missing");
    }
    JsonObject claims = verified(f.get("assertion"), origin);
    if (claims == null) {
      return refusal("invalid_grant", "assertion invalid");
    }
    String token = "sa-" + grants.incrementAndGet();
    issued.put(token, System.nanoTime() + lifetime.toNanos());
    lastAssertion = claims;
    return new Answer(
        200,
        new JsonObject()
            .put("access_token", token)
            .put("token_type", "Bearer")
            .put("expires_in", lifetime.toSeconds()));
  }

  private JsonObject verified(String assertion, String origin) {
    if (refused || assertion == null) {
      return null;
    }
    String[] parts = assertion.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonObject header = new JsonObject(new String(b64.decode(parts[0]), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(b64.decode(parts[1]), StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key.getPublic());
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      boolean ok =
          s.verify(b64.decode(parts[2]))
              && "RS256".equals(header.getString("alg"))
              && KEY_ID.equals(header.getString("kid"))
              && USER_ID.equals(claims.getString("iss"))
              && USER_ID.equals(claims.getString("sub"))
              && audience(claims).equals(origin)
              && claims.getLong("exp", 0L) > System.currentTimeMillis() / 1000;
      return ok ? claims : null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static String audience(JsonObject claims) {
    Object aud = claims.getValue("aud");
    if (aud instanceof io.vertx.core.json.JsonArray a && a.size() == 1) {
      return a.getString(0);
    }
    return String.valueOf(aud);
  }

  private static Answer refusal(String error, String description) {
    return new Answer(
        400, new JsonObject().put("error", error).put("error_description", description));
  }

  private static Map<String, String> fields(String form) {
    Map<String, String> out = new HashMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** A status and JSON body to answer with. */
  record Answer(int status, JsonObject body) {}
}
