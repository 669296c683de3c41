package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.details;
import static dev.metagate.api.rest.Wire.entry;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.masked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * All data is scoped by organization: the same user id in two orgs holds separate metadata, and
 * {@code x-zitadel-orgid} (default: the caller's own org) picks the org a request acts in.
 */
class OrgScopingTest extends SharedGateway {
  private static final String ORG_B = "org-b";

  private static V1 ownerOfB() {
    return v1(issuer.token("owner-b", ORG_B, "ORG_OWNER"));
  }

  private static V1 iamOwner() {
    return v1(issuer.token("admin", "iam-org", "IAM_OWNER"));
  }

  /** A token of {@link SharedGateway#ORG} holding ORG_OWNER in both orgs. */
  private static V1 ownerOfBoth() {
    JsonObject claims = issuer.claims("multi", ORG);
    claims.put(TestIssuer.ROLES_CLAIM, TestIssuer.roleIn("ORG_OWNER", ORG, ORG_B));
    return v1(issuer.rs256(claims));
  }

  @Test
  void sameUserIdInTwoOrgs_holdsSeparateData() {
    String user = newUser();
    assertThat(masked(owner.setText(user, "k", "in A"), 200))
        .isEqualTo(details("creationDate", 1, ORG));
    assertThat(masked(ownerOfB().setText(user, "k", "in B"), 200))
        .isEqualTo(details("creationDate", 1, ORG_B));
    json(ownerOfB().setText(user, "only-b", "x"), 200);

    assertThat(masked(owner.get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("in A"), 1, ORG)));
    assertThat(masked(ownerOfB().get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("in B"), 1, ORG_B)));
    assertThat(json(owner.get(user, "only-b"), 404))
        .isEqualTo(error(5, "QUERY-Rgh32", "Metadata not found"));
    assertThat(json(owner.list(user, "{}"), 200).getJsonObject("details").getString("totalResult"))
        .isEqualTo("1");
  }

  @Test
  void removeInOneOrg_leavesTheOtherOrgUntouched() {
    String user = newUser();
    owner.setText(user, "k", "a");
    ownerOfB().setText(user, "k", "b");
    json(owner.remove(user, "k"), 200);
    assertThat(json(ownerOfB().get(user, "k"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(b64("b"));
    assertThat(masked(ownerOfB().bulkRemove(user, "{\"keys\":[\"k\"]}"), 200))
        .isEqualTo(details("changeDate", 2, ORG_B));
    assertThat(json(owner.remove(user, "k"), 404))
        .isEqualTo(error(5, "META-ncnw3", "Metadata not found"));
  }

  @Test
  void userOfOtherOrg_behavesAsIfItDidNotExist() {
    String user = newUser();
    ownerOfB().bulkSetText(user, "k", "v");
    assertThat(json(owner.list(user, "{}"), 200)).isEqualTo(new JsonObject());
    assertThat(json(owner.bulkRemove(user, "{\"keys\":[\"k\"]}"), 404))
        .isEqualTo(error(5, "META-2nnds", "One or more keys do not exist"));
  }

  @Test
  void instanceRole_orgHeaderSelectsTheOrg() {
    String user = newUser();
    owner.setText(user, "k", "in A");
    ownerOfB().setText(user, "k", "in B");
    assertThat(masked(iamOwner().inOrg(ORG_B).get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("in B"), 1, ORG_B)));
    assertThat(masked(iamOwner().inOrg(ORG).get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("in A"), 1, ORG)));
    assertThat(masked(iamOwner().inOrg(ORG_B).bulkSetText(user, "k2", "by admin"), 200))
        .isEqualTo(details("changeDate", 2, ORG_B));
    assertThat(json(ownerOfB().get(user, "k2"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(b64("by admin"));
  }

  @Test
  void instanceRole_withoutHeader_actsInItsOwnOrg() {
    String user = newUser();
    assertThat(masked(iamOwner().setText(user, "k", "v"), 200))
        .isEqualTo(details("creationDate", 1, "iam-org"));
    json(owner.get(user, "k"), 404);
  }

  @Test
  void multiOrgToken_headerSwitchesOrgAndDefaultIsOwnOrg() {
    String user = newUser();
    V1 both = ownerOfBoth();
    assertThat(masked(both.setText(user, "k", "default"), 200))
        .isEqualTo(details("creationDate", 1, ORG));
    assertThat(masked(both.inOrg(ORG_B).setText(user, "k", "switched"), 200))
        .isEqualTo(details("creationDate", 1, ORG_B));
    assertThat(json(owner.get(user, "k"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(b64("default"));
    assertThat(json(ownerOfB().get(user, "k"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(b64("switched"));
    assertThat(json(both.inOrg("org-c").get(user, "k"), 403))
        .isEqualTo(error(7, "AUTH-Bs7Ds", "No matching permissions found"));
  }

  @Test
  void orgHeader_ownOrgExplicitly_isLikeNoHeader() {
    String user = newUser();
    json(owner.inOrg(ORG).setText(user, "k", "v"), 200);
    assertThat(masked(owner.get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("v"), 1, ORG)));
  }

  @Test
  void sequences_areCountedPerOrg() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2", "c", "3");
    assertThat(masked(ownerOfB().bulkSetText(user, "a", "1"), 200))
        .isEqualTo(details("changeDate", 1, ORG_B));
  }
}
