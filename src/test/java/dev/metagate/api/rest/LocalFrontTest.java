package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A GetUserMetadata without a body is answered without the router ({@link LocalFront}); one that
 * carries a body goes through the router. Both must give the same answers, and the router-less one
 * must still hold (and free) an in-flight slot and be counted. One slot only, so a slot that was
 * not freed shows as a 503 on the next call.
 */
@ExtendWith(Invariants.class)
@WithGateway(env = "METAGATE_HTTP_MAX_IN_FLIGHT=1")
class LocalFrontTest {
  static TestIssuer issuer;
  static TestGateway gw;

  @Test
  void everyAnswer_isTheRoutersAnswer() {
    String owner = issuer.token("front-owner", "org-front", "ORG_OWNER");
    String stranger = issuer.token("front-stranger", "org-other", "ORG_OWNER");
    gw.http()
        .post("/management/v1/users/u1/metadata/k", owner, "{\"value\":\"dmFsdWU=\"}")
        .status();
    String[][] cases = {
      {"/management/v1/users/u1/metadata/k", owner, null},
      {"/management/v1/users/u1/metadata/missing", owner, null},
      {"/management/v1/users/u1/metadata/k", null, null},
      {"/management/v1/users/u1/metadata/k", owner + "x", null},
      {"/management/v1/users/u1/metadata/k", stranger, "org-front"},
      {"/management/v1/users/u1/metadata/a%2Fb", owner, null},
      {"/management/v1/users/u1/metadata/" + "k".repeat(300), owner, null},
    };
    for (String[] c : cases) {
      Http.Response direct = call(c, null);
      Http.Response routed = call(c, "{}");
      assertThat(direct.status()).as(c[0]).isEqualTo(routed.status());
      assertThat(direct.body()).as(c[0]).isEqualTo(routed.body());
      assertThat(direct.header("content-type")).as(c[0]).isEqualTo(routed.header("content-type"));
      assertThat(direct.header("x-request-id")).as(c[0]).isNotBlank();
    }
    assertThat(call(cases[0], null).json().getJsonObject("metadata").getString("value"))
        .isEqualTo("dmFsdWU=");
  }

  @Test
  void eachCall_freesItsSlot_andIsCounted() {
    String owner = issuer.token("front-counted", "org-counted", "ORG_OWNER");
    gw.http()
        .post("/management/v1/users/u2/metadata/k", owner, "{\"value\":\"dmFsdWU=\"}")
        .status();
    for (int i = 0; i < 30; i++) {
      String path = "/management/v1/users/u2/metadata/" + (i % 2 == 0 ? "k" : "none");
      int status = gw.http().get(path, owner).status();
      assertThat(status).as("call " + i).isEqualTo(i % 2 == 0 ? 200 : 404);
    }
    String metrics = gw.admin().get("/metrics", null).body();
    assertThat(metrics)
        .containsPattern(
            "metagate_requests_total\\{code=\"0\",operation=\"GetUserMetadata\","
                + "protocol=\"rest\"\\} (1[5-9]|[2-9][0-9])")
        .containsPattern(
            "metagate_requests_total\\{code=\"5\",operation=\"GetUserMetadata\","
                + "protocol=\"rest\"\\} (1[5-9]|[2-9][0-9])");
  }

  private static Http.Response call(String[] c, String body) {
    Http.Call call = gw.http().call("GET", c[0]).token(c[1]).body(body);
    if (c[2] != null) {
      call.header("x-zitadel-orgid", c[2]);
    }
    return call.send();
  }
}
