package dev.metagate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The permission model through the real gateway with the default roles: write roles and read roles
 * per organization, instance roles in any organization, self-service, and organization isolation.
 */
@ExtendWith(Invariants.class)
@WithGateway
class AuthzTest {
  private static final String ORG_A = "orgA";
  private static final String ORG_B = "orgB";
  private static final String VALUE = "aGk=";
  private static final String BODY = "{\"value\":\"" + VALUE + "\"}";
  private static final AtomicInteger IDS = new AtomicInteger();

  /** ZITADEL's answer when the caller has no grant at all in the organization it acts in. */
  private static final JsonObject NO_GRANT_IN_ORG =
      new JsonObject()
          .put("code", 7)
          .put("message", "No matching permissions found (AUTH-Bs7Ds)")
          .put(
              "details",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("@type", "type.googleapis.com/zitadel.v1.ErrorDetail")
                          .put("id", "AUTH-Bs7Ds")
                          .put("message", "No matching permissions found")));

  static TestIssuer issuer;
  static TestGateway gw;

  // --- roles in the caller's organization ---

  @Test
  void orgOwner_writesAndReadsAnyUserOfItsOrg() {
    String owner = issuer.token("owner", ORG_A, "ORG_OWNER");
    String user = newUser();
    assertThat(set(owner, user, "k", null).status()).isEqualTo(200);
    assertThat(get(owner, user, "k", null).status()).isEqualTo(200);
    assertThat(remove(owner, user, "k", null).status()).isEqualTo(200);
  }

  @Test
  void orgUserManager_writesAndReadsAnyUserOfItsOrg() {
    String manager = issuer.token("manager", ORG_A, "ORG_USER_MANAGER");
    String user = newUser();
    assertThat(set(manager, user, "k", null).status()).isEqualTo(200);
    assertThat(bulkSet(manager, user, null).status()).isEqualTo(200);
    assertThat(list(manager, user, null).json().getJsonArray("result")).hasSize(3);
    assertThat(bulkRemove(manager, user, null).status()).isEqualTo(200);
  }

  @Test
  void orgOwnerViewer_reads_butEveryWriteIs403WithoutId() {
    String user = newUser();
    assertThat(set(owner(ORG_A), user, "k", null).status()).isEqualTo(200);
    String viewer = issuer.token("viewer", ORG_A, "ORG_OWNER_VIEWER");

    assertThat(get(viewer, user, "k", null).status()).isEqualTo(200);
    assertThat(list(viewer, user, null).status()).isEqualTo(200);
    assertDeniedWithoutId(set(viewer, user, "k2", null));
    assertDeniedWithoutId(bulkSet(viewer, user, null));
    assertDeniedWithoutId(remove(viewer, user, "k", null));
    assertDeniedWithoutId(bulkRemove(viewer, user, null));

    assertThat(get(owner(ORG_A), user, "k", null).status()).as("still there").isEqualTo(200);
    assertThat(get(owner(ORG_A), user, "k2", null).status()).as("not stored").isEqualTo(404);
  }

  @Test
  void orgUserPermissionEditor_readsButCannotWrite() {
    String user = newUser();
    set(owner(ORG_A), user, "k", null);
    String editor = issuer.token("editor", ORG_A, "ORG_USER_PERMISSION_EDITOR");
    assertThat(get(editor, user, "k", null).status()).isEqualTo(200);
    assertDeniedWithoutId(set(editor, user, "k", null));
  }

  @Test
  void unknownRole_grantsNothing_403WithoutId() {
    String user = newUser();
    String other = issuer.token("other", ORG_A, "SOME_APP_ROLE");
    assertDeniedWithoutId(get(other, user, "k", null));
    assertDeniedWithoutId(set(other, user, "k", null));
  }

  // --- self-service ---

  @Test
  void userWithoutRoles_readsAndWritesItsOwnMetadata() {
    String self = newUser();
    String token = issuer.token(self, ORG_A);
    assertThat(set(token, self, "k", null).status()).isEqualTo(200);
    assertThat(bulkSet(token, self, null).status()).isEqualTo(200);
    assertThat(get(token, self, "k", null).json().getJsonObject("metadata").getString("value"))
        .isEqualTo(VALUE);
    assertThat(list(token, self, null).status()).isEqualTo(200);
    assertThat(remove(token, self, "k", null).status()).isEqualTo(200);
    assertThat(bulkRemove(token, self, null).status()).isEqualTo(200);
  }

  @Test
  void userWithoutRoles_namingItsOwnOrg_readsAndWritesItsOwnMetadata() {
    String self = newUser();
    String token = issuer.token(self, ORG_A);
    assertThat(set(token, self, "k", ORG_A).status()).isEqualTo(200);
    assertThat(get(token, self, "k", ORG_A).status()).isEqualTo(200);
  }

  @Test
  void userWithoutRoles_cannotTouchAnotherUser_403WithoutId() {
    String victim = newUser();
    set(owner(ORG_A), victim, "k", null);
    String token = issuer.token(newUser(), ORG_A);
    assertDeniedWithoutId(get(token, victim, "k", null));
    assertDeniedWithoutId(list(token, victim, null));
    assertDeniedWithoutId(set(token, victim, "k", null));
    assertDeniedWithoutId(remove(token, victim, "k", null));
    assertThat(get(owner(ORG_A), victim, "k", null).status()).isEqualTo(200);
  }

  @Test
  void userWithoutRoles_inAnotherOrg_isAuthBs7Ds() {
    String self = newUser();
    String token = issuer.token(self, ORG_A);
    assertNoGrantInOrg(set(token, self, "k", ORG_B));
    assertNoGrantInOrg(get(token, self, "k", ORG_B));
    assertNoGrantInOrg(list(token, self, ORG_B));
    assertThat(get(owner(ORG_B), self, "k", ORG_B).status()).as("not stored").isEqualTo(404);
  }

  @Test
  void selfServiceOff_userWithoutRoles_cannotTouchItsOwnMetadata() {
    try (TestGateway off =
        TestGateway.start(issuer, Map.of("METAGATE_AUTH_SELF_SERVICE", "false"))) {
      String self = newUser();
      String token = issuer.token(self, ORG_A);
      assertDeniedWithoutId(send(off, "POST", token, path(self, "k"), BODY, null));
      assertDeniedWithoutId(send(off, "GET", token, path(self, "k"), null, null));
      String manager = issuer.token("manager", ORG_A, "ORG_USER_MANAGER");
      assertThat(send(off, "POST", manager, path(self, "k"), BODY, null).status())
          .as("roles still work")
          .isEqualTo(200);
    }
  }

  // --- instance roles and project roles ---

  @Test
  void iamOwner_actsInAnyOrgNamedByHeader() {
    String iam = issuer.token("iam", ORG_A, "IAM_OWNER");
    String user = newUser();
    assertThat(set(iam, user, "k", "orgZ").status()).isEqualTo(200);
    assertThat(get(iam, user, "k", "orgZ").status()).isEqualTo(200);
    assertThat(get(owner("orgZ"), user, "k", "orgZ").status()).as("stored in orgZ").isEqualTo(200);
    assertThat(get(iam, user, "k", null).status()).as("not in its own org").isEqualTo(404);
  }

  @Test
  void rolesInProjectSpecificClaim_count() {
    JsonObject claims = issuer.claims("pm", ORG_A);
    claims.put(
        "urn:zitadel:iam:org:project:284610529385431042:roles",
        TestIssuer.roleIn("ORG_USER_MANAGER", ORG_A));
    String token = issuer.rs256(claims);
    String user = newUser();
    assertThat(set(token, user, "k", null).status()).isEqualTo(200);
    assertThat(get(token, user, "k", null).status()).isEqualTo(200);
  }

  @Test
  void instanceRoleInProjectSpecificClaim_counts() {
    JsonObject claims = issuer.claims("pm-iam", ORG_A);
    claims.put("urn:zitadel:iam:org:project:42:roles", TestIssuer.roleIn("IAM_OWNER", ORG_A));
    assertThat(set(issuer.rs256(claims), newUser(), "k", ORG_B).status()).isEqualTo(200);
  }

  @Test
  void projectSpecificClaimOfAProjectOutsideTheAudience_doesNotCount() {
    try (TestGateway strict =
        TestGateway.start(
            issuer, Map.of("METAGATE_AUTH_AUDIENCE", "metagate-tests,284610529385431042"))) {
      JsonObject foreign = issuer.claims("attacker", ORG_A);
      foreign.put("urn:zitadel:iam:org:project:999:roles", TestIssuer.roleIn("IAM_OWNER", ORG_A));
      var denied =
          strict
              .http()
              .call("POST", "/management/v1/users/victim/metadata/k")
              .token(issuer.rs256(foreign))
              .header("x-zitadel-orgid", ORG_B)
              .body("{\"value\":\"eA==\"}")
              .send();
      assertThat(denied.status()).as(denied.toString()).isEqualTo(403);

      JsonObject trusted = issuer.claims("pm", ORG_A);
      trusted.put(
          "urn:zitadel:iam:org:project:284610529385431042:roles",
          TestIssuer.roleIn("ORG_USER_MANAGER", ORG_A));
      var allowed =
          strict
              .http()
              .post(
                  "/management/v1/users/victim/metadata/k",
                  issuer.rs256(trusted),
                  "{\"value\":\"eA==\"}");
      assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    }
  }

  @Test
  void rolesInLookalikeClaims_doNotCount() {
    for (String name :
        new String[] {
          "urn:zitadel:iam:org:project:42:roles:extra",
          "urn:evil:roles",
          "roles",
          "urn:zitadel:iam:org:projectX:roles"
        }) {
      JsonObject claims = issuer.claims("lookalike", ORG_A);
      claims.put(name, TestIssuer.roleIn("ORG_OWNER", ORG_A));
      assertDeniedWithoutId(set(issuer.rs256(claims), newUser(), "k", null));
    }
  }

  @Test
  void rolesClaimOfWrongShape_grantsNothing() {
    JsonObject asList = issuer.claims("shape1", ORG_A);
    asList.put(TestIssuer.ROLES_CLAIM, new JsonArray().add("ORG_OWNER"));
    JsonObject orgsAsList = issuer.claims("shape2", ORG_A);
    orgsAsList.put(
        TestIssuer.ROLES_CLAIM, new JsonObject().put("ORG_OWNER", new JsonArray().add(ORG_A)));
    assertDeniedWithoutId(set(issuer.rs256(asList), newUser(), "k", null));
    assertDeniedWithoutId(set(issuer.rs256(orgsAsList), newUser(), "k", null));
  }

  // --- organizations ---

  @Test
  void roleGrantedOnlyInOrgA_doesNotGrantOrgB() {
    String ownerA = owner(ORG_A);
    String user = newUser();
    assertNoGrantInOrg(set(ownerA, user, "k", ORG_B));
    assertNoGrantInOrg(get(ownerA, user, "k", ORG_B));
    assertNoGrantInOrg(bulkSet(ownerA, user, ORG_B));
  }

  @Test
  void roleGrantedInBothOrgs_grantsBoth() {
    JsonObject claims = issuer.claims("both", ORG_A);
    claims.put(TestIssuer.ROLES_CLAIM, TestIssuer.roleIn("ORG_OWNER", ORG_A, ORG_B));
    String token = issuer.rs256(claims);
    String user = newUser();
    assertThat(set(token, user, "k", ORG_A).status()).isEqualTo(200);
    assertThat(set(token, user, "k", ORG_B).status()).isEqualTo(200);
  }

  @Test
  void writeRoleInOrgA_andReadRoleInOrgB_cannotWriteOrgB_403WithoutId() {
    JsonObject claims = issuer.claims("mixed", ORG_A);
    JsonObject roles = TestIssuer.roleIn("ORG_OWNER", ORG_A);
    roles.mergeIn(TestIssuer.roleIn("ORG_OWNER_VIEWER", ORG_B));
    claims.put(TestIssuer.ROLES_CLAIM, roles);
    String token = issuer.rs256(claims);
    String user = newUser();
    assertThat(set(owner(ORG_B), user, "k", ORG_B).status()).isEqualTo(200);
    assertThat(get(token, user, "k", ORG_B).status()).isEqualTo(200);
    assertDeniedWithoutId(set(token, user, "k", ORG_B));
  }

  @Test
  void tokenWithoutOrgClaim_andNoHeader_isAuthBs7Ds() {
    JsonObject claims = issuer.claims("orphan", ORG_A);
    claims.remove(TestIssuer.ORG_CLAIM);
    String token = issuer.rs256(claims);
    assertNoGrantInOrg(set(token, "orphan", "k", null));
  }

  @Test
  void dataOfOrgA_isInvisibleInOrgB_forTheSameUserId() {
    String user = newUser();
    String iam = issuer.token("iam", ORG_A, "IAM_OWNER");
    assertThat(set(owner(ORG_A), user, "k", ORG_A).status()).isEqualTo(200);

    for (String token : new String[] {owner(ORG_B), iam}) {
      Http.Response got = get(token, user, "k", ORG_B);
      assertThat(got.status()).as(got.toString()).isEqualTo(404);
      assertThat(got.json().getJsonArray("details").getJsonObject(0).getString("id"))
          .isEqualTo("QUERY-Rgh32");
      Http.Response listed = list(token, user, ORG_B);
      assertThat(listed.status()).isEqualTo(200);
      assertThat(listed.json().getJsonArray("result")).isNull();
    }
    assertThat(remove(owner(ORG_B), user, "k", ORG_B).status())
        .as("cannot remove org A's key from org B")
        .isEqualTo(404);
    assertThat(get(owner(ORG_A), user, "k", ORG_A).status()).isEqualTo(200);
  }

  @Test
  void sameUserIdInTwoOrgs_keepsSeparateValues() {
    String user = newUser();
    set(owner(ORG_A), user, "k", null);
    send(gw, "POST", owner(ORG_B), path(user, "k"), "{\"value\":\"Yg==\"}", null);
    assertThat(value(get(owner(ORG_A), user, "k", null))).isEqualTo(VALUE);
    assertThat(value(get(owner(ORG_B), user, "k", null))).isEqualTo("Yg==");
  }

  // --- helpers ---

  private static String owner(String org) {
    return issuer.token("owner-" + org, org, "ORG_OWNER");
  }

  private static String newUser() {
    return "user-" + IDS.incrementAndGet();
  }

  private static String path(String user, String key) {
    return "/management/v1/users/" + user + "/metadata/" + key;
  }

  private static Http.Response set(String token, String user, String key, String org) {
    return send(gw, "POST", token, path(user, key), BODY, org);
  }

  private static Http.Response get(String token, String user, String key, String org) {
    return send(gw, "GET", token, path(user, key), null, org);
  }

  private static Http.Response remove(String token, String user, String key, String org) {
    return send(gw, "DELETE", token, path(user, key), null, org);
  }

  private static Http.Response list(String token, String user, String org) {
    return send(gw, "POST", token, path(user, "_search"), "{}", org);
  }

  private static Http.Response bulkSet(String token, String user, String org) {
    String body =
        "{\"metadata\":[{\"key\":\"b1\",\"value\":\""
            + VALUE
            + "\"},{\"key\":\"b2\",\"value\":\""
            + VALUE
            + "\"}]}";
    return send(gw, "POST", token, path(user, "_bulk"), body, org);
  }

  private static Http.Response bulkRemove(String token, String user, String org) {
    return send(gw, "DELETE", token, path(user, "_bulk"), "{\"keys\":[\"b1\",\"b2\"]}", org);
  }

  private static Http.Response send(
      TestGateway g, String method, String token, String path, String body, String org) {
    Http.Call call = g.http().call(method, path).token(token).body(body);
    if (org != null) {
      call.header("x-zitadel-orgid", org);
    }
    return call.send();
  }

  private static String value(Http.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonObject("metadata").getString("value");
  }

  private static void assertDeniedWithoutId(Http.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(403);
    assertThat(r.json().getInteger("code")).isEqualTo(7);
    assertThat(r.json().containsKey("details")).as(r.toString()).isFalse();
  }

  private static void assertNoGrantInOrg(Http.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(403);
    assertThat(r.json()).isEqualTo(NO_GRANT_IN_ORG);
  }
}
