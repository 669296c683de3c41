package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http.Response;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error table's 401 and 403 rows, and the order of checks from docs/decisions.md: body parsing
 * (400), then authentication (401), then permission (403), then field validation (400), then
 * business rules (404).
 */
class AuthConformanceTest extends SharedGateway {
  private static final JsonObject UNAUTHENTICATED = error(16, "invalid or missing token");
  private static final JsonObject DENIED = error(7, "No matching permissions found");
  private static final JsonObject NO_GRANT_IN_ORG =
      error(7, "AUTH-Bs7Ds", "No matching permissions found");

  static Stream<Arguments> everyEndpoint() {
    return Stream.of(
        endpoint("set", (c, u) -> c.setText(u, "k", "v")),
        endpoint("bulkSet", (c, u) -> c.bulkSetText(u, "k", "v")),
        endpoint("get", (c, u) -> c.get(u, "k")),
        endpoint("list", (c, u) -> c.list(u, "{}")),
        endpoint("remove", (c, u) -> c.remove(u, "k")),
        endpoint("bulkRemove", (c, u) -> c.bulkRemove(u, "{\"keys\":[\"k\"]}")));
  }

  private static Arguments endpoint(String name, BiFunction<V1, String, Response> call) {
    return Arguments.of(name, call);
  }

  // ---- no/invalid token: 16, 401

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_noToken_returns401(String name, BiFunction<V1, String, Response> call) {
    assertThat(json(call.apply(v1(null), newUser()), 401)).isEqualTo(UNAUTHENTICATED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_garbageToken_returns401(String name, BiFunction<V1, String, Response> call) {
    assertThat(json(call.apply(v1("not.a.jwt"), newUser()), 401)).isEqualTo(UNAUTHENTICATED);
  }

  @Test
  void set_otherAuthorizationScheme_returns401() {
    var r =
        gw.http()
            .call("POST", V1.path(newUser(), "k"))
            .header("authorization", "Basic dXNlcjpwYXNz")
            .body("{\"value\":\"dg==\"}")
            .send();
    assertThat(json(r, 401)).isEqualTo(UNAUTHENTICATED);
  }

  @Test
  void set_emptyBearer_returns401() {
    var r =
        gw.http()
            .call("POST", V1.path(newUser(), "k"))
            .header("authorization", "Bearer ")
            .body("{\"value\":\"dg==\"}")
            .send();
    assertThat(json(r, 401)).isEqualTo(UNAUTHENTICATED);
  }

  @Test
  void set_expiredToken_returns401AndStoresNothing() {
    String user = newUser();
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims =
        issuer.claims("owner-1", ORG, "ORG_OWNER").put("iat", now - 7200).put("nbf", now - 7200);
    claims.put("exp", now - 3600);
    assertThat(json(v1(issuer.rs256(claims)).setText(user, "k", "v"), 401))
        .isEqualTo(UNAUTHENTICATED);
    assertNothingStored(user);
  }

  @Test
  void set_tokenSignedByUnknownKey_returns401() throws GeneralSecurityException {
    String token =
        TestIssuer.rs256With(
            TestIssuer.rsaKeyPair(), "rsa-1", issuer.claims("owner-1", ORG, "ORG_OWNER"));
    assertThat(json(v1(token).setText(newUser(), "k", "v"), 401)).isEqualTo(UNAUTHENTICATED);
  }

  @Test
  void set_unsignedToken_returns401() {
    String token = TestIssuer.none(issuer.claims("owner-1", ORG, "ORG_OWNER"));
    assertThat(json(v1(token).setText(newUser(), "k", "v"), 401)).isEqualTo(UNAUTHENTICATED);
  }

  @Test
  void set_wrongIssuer_returns401() {
    JsonObject claims = issuer.claims("owner-1", ORG, "ORG_OWNER").put("iss", "https://evil");
    assertThat(json(v1(issuer.rs256(claims)).setText(newUser(), "k", "v"), 401))
        .isEqualTo(UNAUTHENTICATED);
  }

  // ---- valid token without permission: 7, 403

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_noRoleForOtherUserInOwnOrg_returns403WithoutId(
      String name, BiFunction<V1, String, Response> call) {
    V1 plainUser = v1(issuer.token("someone", ORG));
    assertThat(json(call.apply(plainUser, newUser()), 403)).isEqualTo(DENIED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_otherOrgWithoutAnyGrant_returns403AuthBs7Ds(
      String name, BiFunction<V1, String, Response> call) {
    assertThat(json(call.apply(owner.inOrg("org-other"), newUser()), 403))
        .isEqualTo(NO_GRANT_IN_ORG);
  }

  @Test
  void set_otherOrgWithANonMetadataRoleThere_returns403WithoutId() {
    JsonObject claims = issuer.claims("owner-1", ORG, "ORG_OWNER");
    claims.put(
        TestIssuer.ROLES_CLAIM,
        claims
            .getJsonObject(TestIssuer.ROLES_CLAIM)
            .mergeIn(TestIssuer.roleIn("SOME_ROLE", "org-b")));
    V1 caller = v1(issuer.rs256(claims)).inOrg("org-b");
    assertThat(json(caller.setText(newUser(), "k", "v"), 403)).isEqualTo(DENIED);
  }

  @Test
  void set_orgHeaderOver200Chars_returns403AuthBs7Ds() {
    assertThat(json(owner.inOrg("o".repeat(201)).setText(newUser(), "k", "v"), 403))
        .isEqualTo(NO_GRANT_IN_ORG);
  }

  @Test
  void readRole_mayReadButNotWrite() {
    String user = newUser();
    owner.setText(user, "k", "v");
    V1 viewer = v1(issuer.token("viewer", ORG, "ORG_OWNER_VIEWER"));
    json(viewer.get(user, "k"), 200);
    json(viewer.list(user, "{}"), 200);
    assertThat(json(viewer.setText(user, "k", "w"), 403)).isEqualTo(DENIED);
    assertThat(json(viewer.bulkSetText(user, "k", "w"), 403)).isEqualTo(DENIED);
    assertThat(json(viewer.remove(user, "k"), 403)).isEqualTo(DENIED);
    assertThat(json(viewer.bulkRemove(user, "{\"keys\":[\"k\"]}"), 403)).isEqualTo(DENIED);
    assertThat(json(owner.get(user, "k"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(Wire.b64("v"));
  }

  @Test
  void userManagerRole_mayWrite() {
    V1 manager = v1(issuer.token("manager", ORG, "ORG_USER_MANAGER"));
    json(manager.setText(newUser(), "k", "v"), 200);
  }

  @Test
  void selfService_userMayReadAndWriteItsOwnMetadata() {
    String user = newUser();
    V1 self = v1(issuer.token(user, ORG));
    json(self.setText(user, "k", "v"), 200);
    json(self.get(user, "k"), 200);
    json(self.remove(user, "k"), 200);
  }

  @Test
  void selfService_sameUserIdInOtherOrg_returns403AuthBs7Ds() {
    String user = newUser();
    V1 self = v1(issuer.token(user, ORG)).inOrg("org-other");
    assertThat(json(self.setText(user, "k", "v"), 403)).isEqualTo(NO_GRANT_IN_ORG);
  }

  @Test
  void forbiddenWrite_storesNothing() {
    String user = newUser();
    json(v1(issuer.token("someone", ORG)).bulkSetText(user, "k", "v"), 403);
    assertNothingStored(user);
  }

  // ---- order of checks

  @Test
  void order_badJsonWithoutToken_is400() {
    assertThat(json(v1(null).set(newUser(), "k", "{"), 400))
        .isEqualTo(error(3, "request body is not valid JSON"));
  }

  @Test
  void order_fieldLimitWithoutToken_is401() {
    assertThat(json(v1(null).setText(newUser(), "k".repeat(201), "v"), 401))
        .isEqualTo(UNAUTHENTICATED);
  }

  @Test
  void order_fieldLimitWithoutPermission_is403() {
    V1 plainUser = v1(issuer.token("someone", ORG));
    assertThat(json(plainUser.setText(newUser(), "k".repeat(201), "v"), 403)).isEqualTo(DENIED);
  }

  @Test
  void order_emptyBulkWithoutPermission_is403() {
    V1 plainUser = v1(issuer.token("someone", ORG));
    assertThat(json(plainUser.bulkSet(newUser(), "{}"), 403)).isEqualTo(DENIED);
  }

  @Test
  void order_missingKeyWithoutPermission_is403NotNotFound() {
    V1 plainUser = v1(issuer.token("someone", ORG));
    assertThat(json(plainUser.remove(newUser(), "k"), 403)).isEqualTo(DENIED);
    assertThat(json(plainUser.get(newUser(), "k"), 403)).isEqualTo(DENIED);
  }

  @Test
  void order_fieldLimitBeforeNotFound() {
    assertThat(json(owner.remove(newUser(), "k".repeat(201)), 400))
        .isEqualTo(Wire.runesError("RemoveUserMetadataRequest.Key"));
  }

  private static void assertNothingStored(String user) {
    assertThat(json(owner.list(user, "{}"), 200)).isEqualTo(new JsonObject());
  }
}
