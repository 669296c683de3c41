package dev.metagate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on token verification through the real gateway's REST API: every forged, broken or
 * misdirected token is answered 401 {@code {"code":16,...}} and stores nothing; genuine tokens
 * (RS256, ES256, rotated keys) pass. The gateway checks audience {@value #AUDIENCE} and allows
 * {@value #SKEW_SECONDS} s of clock skew.
 */
@ExtendWith(Invariants.class)
class JwtAttackTest {
  private static final String AUDIENCE = "metagate-tests";
  private static final long SKEW_SECONDS = 30;
  private static final String USER = "u1";
  private static final String ORG = "org1";
  private static final String VALUE_BODY = "{\"value\":\"aGk=\"}";
  private static final AtomicInteger KEYS = new AtomicInteger();

  static TestIssuer issuer;
  static TestGateway gw;
  static KeyPair foreign;

  @BeforeAll
  static void start() throws GeneralSecurityException {
    foreign = TestIssuer.rsaKeyPair();
    issuer = TestIssuer.start();
    gw =
        TestGateway.start(
            issuer,
            Map.of(
                "METAGATE_AUTH_AUDIENCE",
                AUDIENCE,
                "METAGATE_AUTH_CLOCK_SKEW",
                SKEW_SECONDS + "s"));
  }

  @AfterAll
  static void stop() {
    gw.close();
    issuer.close();
  }

  // --- the Authorization header itself ---

  @Test
  void set_withoutAuthorizationHeader_returns401AndStoresNothing() {
    assertRejected(null);
  }

  @Test
  void set_withEmptyBearer_returns401AndStoresNothing() {
    assertRejected("Bearer ");
  }

  @Test
  void set_withBearerOfBlanks_returns401AndStoresNothing() {
    assertRejected("Bearer      ");
  }

  @Test
  void set_withBasicScheme_returns401AndStoresNothing() {
    assertRejected("Basic " + b64("u1:secret"));
  }

  @Test
  void set_withValidTokenUnderBasicScheme_returns401AndStoresNothing() {
    assertRejected("Basic " + validToken());
  }

  @Test
  void set_withValidTokenButNoScheme_returns401AndStoresNothing() {
    assertRejected(validToken());
  }

  // --- malformed tokens ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "not.a.jwt",
        "a.b",
        "....",
        "eyJhbGciOiJSUzI1NiJ9",
        "eyJhbGciOiJSUzI1NiJ9.e30",
        "eyJhbGciOiJSUzI1NiJ9..",
        "%%%.%%%.%%%",
        "bnVsbA.e30.c2ln",
        "MTIz.e30.c2ln",
        "WzFd.e30.c2ln",
        "eyJhbGciOjI1Nn0.e30.c2ln",
        "eyJhbGciOm51bGx9.e30.c2ln",
        "eyJhbGciOlsiUlMyNTYiXX0.e30.c2ln"
      })
  void set_withMalformedToken_returns401AndStoresNothing(String token) {
    assertRejected("Bearer " + token);
  }

  @Test
  void set_withValidTokenCutToTwoSegments_returns401AndStoresNothing() {
    String t = validToken();
    assertRejected("Bearer " + t.substring(0, t.lastIndexOf('.')));
  }

  @Test
  void set_withValidTokenAndEmptySignature_returns401AndStoresNothing() {
    String t = validToken();
    assertRejected("Bearer " + t.substring(0, t.lastIndexOf('.') + 1));
  }

  @Test
  void set_withValidTokenPlusFourthSegment_returns401AndStoresNothing() {
    assertRejected("Bearer " + validToken() + ".AAAA");
  }

  @Test
  void set_withPayloadThatIsNotAnObject_returns401AndStoresNothing() {
    for (String payload : new String[] {"null", "[]", "123", "\"sub\""}) {
      JsonObject header = header("RS256", "rsa-1");
      // signed with an unrelated key: only the payload's shape matters for the parser
      assertRejected("Bearer " + signRaw(header, payload, foreign.getPrivate()));
    }
  }

  @Test
  void set_withOversizedToken_isRejectedAndStoresNothing() {
    // 20 kB: within the server's 32 KiB header limit, beyond the verifier's 16 KiB token cap
    JsonObject claims = owner().put("padding", "x".repeat(20_000));
    String key = newKey();
    var r = gw.http().post(path(USER, key), issuer.rs256(claims), VALUE_BODY);
    assertThat(r.status()).as(r.toString()).isEqualTo(401);
    assertThat(gw.http().get(path(USER, key), adminToken()).status()).isEqualTo(404);
  }

  @Test
  void set_withSignedTokenWithIatAsString_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("iat", Long.toString(now()))));
  }

  @Test
  void set_withSignedTokenWithoutAlg_returns401AndStoresNothing() {
    JsonObject header = new JsonObject().put("typ", "JWT").put("kid", "rsa-1");
    assertRejected("Bearer " + signRaw(header, owner().encode(), foreign.getPrivate()));
  }

  @Test
  void set_withKidThatIsNotAString_returns401AndStoresNothing() {
    JsonObject header = new JsonObject().put("alg", "RS256").put("kid", 1);
    assertRejected("Bearer " + signRaw(header, owner().encode(), foreign.getPrivate()));
  }

  // --- algorithm attacks ---

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void set_withUnsignedToken_returns401AndStoresNothing(String alg) {
    String token =
        b64(new JsonObject().put("alg", alg).put("typ", "JWT").encode())
            + "."
            + b64(owner().encode())
            + ".";
    assertRejected("Bearer " + token);
  }

  @Test
  void set_withAlgNoneFromHarness_returns401AndStoresNothing() {
    assertRejected("Bearer " + TestIssuer.none(owner()));
  }

  @Test
  void set_withAlgNoneButRealSignatureKept_returns401AndStoresNothing() {
    String real = issuer.rs256(owner());
    String none = b64(new JsonObject().put("alg", "none").put("kid", "rsa-1").encode());
    assertRejected("Bearer " + none + real.substring(real.indexOf('.')));
  }

  @Test
  void set_withHs256KeyedWithThePublicKey_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.hs256WithPublicKey(owner()));
  }

  @Test
  void set_withEs256TokenRelabelledRs256_returns401AndStoresNothing() {
    String es = issuer.es256(owner());
    String relabelled = b64(header("RS256", "ec-1").encode());
    assertRejected("Bearer " + relabelled + es.substring(es.indexOf('.')));
  }

  // --- time ---

  @Test
  void set_withTokenExpiredBeyondSkew_returns401AndStoresNothing() {
    long now = now();
    JsonObject c = claims().put("iat", now - 7200).put("nbf", now - 7200);
    c.put("exp", now - SKEW_SECONDS - 60);
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withTokenNotYetValidBeyondSkew_returns401AndStoresNothing() {
    JsonObject c = claims().put("nbf", now() + SKEW_SECONDS + 60);
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withTokenWithoutExp_returns401AndStoresNothing() {
    JsonObject c = claims();
    c.remove("exp");
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withExpAsString_returns401AndStoresNothing() {
    JsonObject c = claims().put("exp", Long.toString(now() + 3600));
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withNbfAsString_returns401AndStoresNothing() {
    JsonObject c = claims().put("nbf", Long.toString(now()));
    assertRejected("Bearer " + issuer.rs256(c));
  }

  // --- issuer, audience, subject ---

  @Test
  void set_withTokenOfAnotherRealIssuer_returns401AndStoresNothing() {
    // a genuine token of a second issuer that publishes its own JWKS: wrong iss, unknown key
    try (TestIssuer other = TestIssuer.start()) {
      assertRejected("Bearer " + other.rs256(other.claims(USER, ORG, "ORG_OWNER")));
      assertThat(other.jwksFetches()).as("the other issuer's JWKS is never fetched").isZero();
    }
  }

  @Test
  void set_withWrongIssuerSignedByTheRealKey_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("iss", "https://evil.example.com")));
  }

  @Test
  void set_withIssuerWithTrailingSlash_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("iss", issuer.url() + "/")));
  }

  @Test
  void set_withoutIssuer_returns401AndStoresNothing() {
    JsonObject c = claims();
    c.remove("iss");
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withWrongAudience_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("aud", new JsonArray().add("other"))));
  }

  @Test
  void set_withWrongAudienceAsString_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("aud", "other")));
  }

  @Test
  void set_withoutAudience_returns401AndStoresNothing() {
    JsonObject c = claims();
    c.remove("aud");
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withoutSubject_returns401AndStoresNothing() {
    JsonObject c = claims();
    c.remove("sub");
    assertRejected("Bearer " + issuer.rs256(c));
  }

  // --- odd claims in genuinely signed tokens: a bad token, never a server error ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"aud\":{\"metagate-tests\":true}}",
        "{\"aud\":123}",
        "{\"aud\":[]}",
        "{\"aud\":null}",
        "{\"sub\":123}",
        "{\"sub\":null}",
        "{\"iss\":123}",
        "{\"iss\":[\"ISSUER\"]}",
        "{\"exp\":null}",
        "{\"exp\":true}",
        "{\"exp\":[1]}",
        "{\"nbf\":null}",
        "{\"nbf\":{}}",
        "{\"iat\":null}",
        "{\"iat\":\"yesterday\"}"
      })
  void set_withSignedTokenWithOddClaim_returns401AndStoresNothing(String override) {
    JsonObject c = claims().mergeIn(new JsonObject(override.replace("ISSUER", issuer.url())));
    assertRejected("Bearer " + issuer.rs256(c));
  }

  @Test
  void set_withAudienceArrayHoldingNullBeforeOurs_returns200() {
    JsonArray aud = new JsonArray().addNull().add(7).add(AUDIENCE);
    assertAccepted(issuer.rs256(claims().put("aud", aud)));
  }

  @Test
  void set_withExpInAYear_returns200() {
    assertAccepted(issuer.rs256(claims().put("exp", now() + 365L * 24 * 3600)));
  }

  // absurd expiries: the time arithmetic overflows into "expired", which fails closed
  @Test
  void set_withExpBeyondTheLongRange_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("exp", 1e300)));
  }

  @Test
  void set_withExpOfLongMax_returns401AndStoresNothing() {
    assertRejected("Bearer " + issuer.rs256(claims().put("exp", Long.MAX_VALUE)));
  }

  @Test
  void set_withRolesClaimOfWrongShape_grantsNothing() {
    for (Object roles : new Object[] {"ORG_OWNER", new JsonArray().add("ORG_OWNER"), 1}) {
      JsonObject c = claims().put(TestIssuer.ROLES_CLAIM, roles);
      var r = gw.http().post(path("u-other", newKey()), issuer.rs256(c), VALUE_BODY);
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
    }
  }

  @Test
  void set_withOrgClaimThatIsNotAString_returns403AuthBs7Ds() {
    JsonObject c = claims().put(TestIssuer.ORG_CLAIM, 123);
    var r = gw.http().post(path(USER, newKey()), issuer.rs256(c), VALUE_BODY);
    assertThat(r.status()).as(r.toString()).isEqualTo(403);
    assertThat(r.json().getJsonArray("details").getJsonObject(0).getString("id"))
        .isEqualTo("AUTH-Bs7Ds");
  }

  // --- keys ---

  @Test
  void set_withUnknownKidSignedByForeignKey_returns401AndStoresNothing() {
    assertRejected("Bearer " + TestIssuer.rs256With(foreign, "rsa-unknown", owner()));
  }

  @Test
  void set_withKnownKidSignedByForeignKey_returns401AndStoresNothing() {
    assertRejected("Bearer " + TestIssuer.rs256With(foreign, "rsa-1", owner()));
  }

  @Test
  void set_withoutKidSignedByForeignKey_returns401AndStoresNothing() {
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT");
    assertRejected("Bearer " + signRaw(header, owner().encode(), foreign.getPrivate()));
  }

  @Test
  void set_withForeignKeyPublishedViaJku_returns401AndStoresNothing() throws Exception {
    // the attacker publishes its own key and points the token at it: metagate must only trust
    // the configured JWKS, never a URL or key named by the token itself
    try (TestIssuer attacker = TestIssuer.start()) {
      KeyPair evil = TestIssuer.rsaKeyPair();
      attacker.rotateIn(evil, "evil-1");
      JsonObject header = header("RS256", "evil-1").put("jku", attacker.url() + "/oauth/v2/keys");
      assertRejected("Bearer " + signRaw(header, owner().encode(), evil.getPrivate()));
      assertThat(attacker.jwksFetches()).as("the token's jku is never fetched").isZero();
    }
  }

  @Test
  void set_withForeignKeyEmbeddedAsJwk_returns401AndStoresNothing() throws Exception {
    try (TestIssuer attacker = TestIssuer.start()) {
      KeyPair evil = TestIssuer.rsaKeyPair();
      attacker.rotateIn(evil, "evil-2");
      JsonObject evilJwk = jwkOf(attacker, "evil-2");
      for (String kid : new String[] {"evil-2", "rsa-1"}) {
        JsonObject header = header("RS256", kid).put("jwk", evilJwk);
        assertRejected("Bearer " + signRaw(header, owner().encode(), evil.getPrivate()));
      }
    }
  }

  @Test
  void set_withTamperedRolesAndOrg_returns401AndStoresNothing() {
    // a genuine token for a role-less user of org1, its payload rewritten to claim ORG_OWNER
    String genuine = issuer.rs256(claims());
    JsonObject forged =
        issuer
            .claims(USER, "org2", "ORG_OWNER")
            .put("aud", new JsonArray().add(AUDIENCE))
            .put(TestIssuer.ROLES_CLAIM, TestIssuer.roleIn("ORG_OWNER", ORG, "org2"));
    assertRejected("Bearer " + TestIssuer.tamper(genuine, forged), "u-other");
  }

  @Test
  void set_withTamperedSubject_returns401AndStoresNothing() {
    String genuine = issuer.rs256(claims());
    JsonObject forged = claims().put("sub", "u-other");
    assertRejected("Bearer " + TestIssuer.tamper(genuine, forged), "u-other");
  }

  @Test
  void set_withTamperedEs256Payload_returns401AndStoresNothing() {
    String genuine = issuer.es256(claims());
    assertRejected("Bearer " + TestIssuer.tamper(genuine, owner()), "u-other");
  }

  @Test
  void set_withTamperedHeaderKid_returns401AndStoresNothing() {
    // the RSA signature presented as the EC key's
    String genuine = issuer.rs256(owner());
    String header = b64(header("ES256", "ec-1").encode());
    assertRejected("Bearer " + header + genuine.substring(genuine.indexOf('.')), "u-other");
  }

  // --- genuine tokens ---

  @Test
  void set_withRs256Token_returns200() {
    assertAccepted(issuer.rs256(claims()));
  }

  @Test
  void set_withEs256Token_returns200() {
    assertAccepted(issuer.es256(claims()));
  }

  @Test
  void set_withTokenExpiredWithinSkew_returns200() {
    long now = now();
    JsonObject c = claims().put("iat", now - 600).put("nbf", now - 600);
    c.put("exp", now - SKEW_SECONDS / 3);
    assertAccepted(issuer.rs256(c));
  }

  @Test
  void set_withNbfInTheFutureWithinSkew_returns200() {
    assertAccepted(issuer.rs256(claims().put("nbf", now() + SKEW_SECONDS / 3)));
  }

  @Test
  void set_withAudienceAsString_returns200() {
    assertAccepted(issuer.rs256(claims().put("aud", AUDIENCE)));
  }

  @Test
  void set_withAudienceArrayContainingOurs_returns200() {
    JsonArray aud = new JsonArray().add("project-a").add(AUDIENCE).add("project-b");
    assertAccepted(issuer.rs256(claims().put("aud", aud)));
  }

  @Test
  void set_withLowercaseBearerScheme_returns200() {
    String key = newKey();
    var r =
        gw.http()
            .call("POST", path(USER, key))
            .header("authorization", "bearer " + validToken())
            .body(VALUE_BODY)
            .send();
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void set_withTokenOfKeyRotatedInLater_returns200AfterOneRefresh() throws Exception {
    try (TestIssuer own = TestIssuer.start();
        TestGateway g = TestGateway.start(own)) {
      assertThat(g.http().post(path(USER, "k"), own.token(USER, ORG), VALUE_BODY).status())
          .isEqualTo(200);
      int before = own.jwksFetches();
      KeyPair next = TestIssuer.rsaKeyPair();
      own.rotateIn(next, "rsa-2");
      String token = TestIssuer.rs256With(next, "rsa-2", own.claims(USER, ORG));

      var r = g.http().post(path(USER, "rotated"), token, VALUE_BODY);

      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(own.jwksFetches() - before).isEqualTo(1);
      assertThat(g.http().get(path(USER, "rotated"), token).status()).isEqualTo(200);
    }
  }

  @Test
  void manyUnknownKids_causeFewJwksFetches() {
    try (TestIssuer own = TestIssuer.start();
        TestGateway g = TestGateway.start(own)) {
      int before = own.jwksFetches();
      for (int i = 0; i < 30; i++) {
        String token = TestIssuer.rs256With(foreign, "unknown-" + i, own.claims(USER, ORG));
        var r = g.http().post(path(USER, "k" + i), token, VALUE_BODY);
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
      }
      // one refresh for the first unknown kid; the rest fall in the rate-limit window (a second
      // one is tolerated should the loop straddle the window on a very slow machine)
      assertThat(own.jwksFetches() - before).isBetween(1, 2);
      assertThat(g.http().post(path(USER, "ok"), own.token(USER, ORG), VALUE_BODY).status())
          .as("known keys keep working")
          .isEqualTo(200);
    }
  }

  // --- helpers ---

  private static void assertRejected(String authorization) {
    assertRejected(authorization, USER);
  }

  /** Tries to write {@code userId}'s metadata; expects 401 and then that nothing was stored. */
  private static void assertRejected(String authorization, String userId) {
    String key = newKey();
    Http.Call call = gw.http().call("POST", path(userId, key)).body(VALUE_BODY);
    if (authorization != null) {
      call.header("authorization", authorization);
    }
    Http.Response r = call.send();
    assertThat(r.status()).as(r.toString()).isEqualTo(401);
    JsonObject body = r.json();
    assertThat(body.getInteger("code")).isEqualTo(16);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.containsKey("details")).as("no detail about why").isFalse();

    Http.Response get = gw.http().get(path(userId, key), adminToken());
    assertThat(get.status()).as("stored nothing: " + get).isEqualTo(404);
  }

  private static void assertAccepted(String token) {
    String key = newKey();
    var set = gw.http().post(path(USER, key), token, VALUE_BODY);
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    var get = gw.http().get(path(USER, key), adminToken());
    assertThat(get.status()).as(get.toString()).isEqualTo(200);
  }

  private static String newKey() {
    return "attack-" + KEYS.incrementAndGet();
  }

  private static String path(String userId, String key) {
    return "/management/v1/users/" + userId + "/metadata/" + key;
  }

  /** Claims of a valid token for the role-less user u1 in org1, with our audience. */
  private static JsonObject claims() {
    return issuer.claims(USER, ORG).put("aud", new JsonArray().add(AUDIENCE));
  }

  /** Claims an attacker would like: ORG_OWNER in org1, so any user there could be written. */
  private static JsonObject owner() {
    return issuer.claims(USER, ORG, "ORG_OWNER").put("aud", new JsonArray().add(AUDIENCE));
  }

  private static String validToken() {
    return issuer.rs256(claims());
  }

  private static String adminToken() {
    return issuer.rs256(
        issuer.claims("admin", ORG, "ORG_OWNER").put("aud", new JsonArray().add(AUDIENCE)));
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static JsonObject header(String alg, String kid) {
    return new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid);
  }

  private static JsonObject jwkOf(TestIssuer i, String kid) {
    for (Object k : i.jwks().getJsonArray("keys")) {
      JsonObject jwk = (JsonObject) k;
      if (kid.equals(jwk.getString("kid"))) {
        return jwk;
      }
    }
    throw new IllegalStateException("no key " + kid);
  }

  /** A JWS with any header and payload text, RS256-signed with {@code key}. */
  private static String signRaw(JsonObject header, String payload, PrivateKey key) {
    String input = b64(header.encode()) + "." + b64(payload);
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
