package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GetUserMetadata without a body, and SetUserMetadata and BulkSetUserMetadata with a body of
 * announced length, are answered without the router ({@link LocalFront}); a GET that carries a body
 * and a write whose body is sent chunked go through the router. Both must give the same answers,
 * and the router-less one must still hold (and free) an in-flight slot and be counted. One slot
 * only, so a slot that was not freed shows as a 503 on the next call.
 */
@ExtendWith(Invariants.class)
@WithGateway(env = "METAGATE_HTTP_MAX_IN_FLIGHT=1")
class LocalFrontTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

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
  void everyWriteAnswer_isTheRoutersAnswer() throws Exception {
    String owner = issuer.token("front-writer", "org-front-w", "ORG_OWNER");
    String stranger = issuer.token("front-w-stranger", "org-other-w", "ORG_OWNER");
    String set = "/management/v1/users/w1/metadata/k";
    String bulk = "/management/v1/users/w1/metadata/_bulk";
    String[][] failing = {
      {set, owner, "{\"value\":\"%%%\"}"},
      {set, owner, "{\"value\":"},
      {set, owner, "{}"},
      {set, owner, ""},
      {set, owner, "{\"value\":\"dg==\",\"value\":\"dg==\"}"},
      {set, null, "{\"value\":\"dg==\"}"},
      {set, owner + "x", "{\"value\":\"dg==\"}"},
      {set, stranger, "{\"value\":\"dg==\"}", "org-front-w"},
      {"/management/v1/users/w1/metadata/" + "k".repeat(300), owner, "{\"value\":\"dg==\"}"},
      {bulk, owner, "{\"metadata\":[]}"},
      {bulk, owner, "{\"metadata\":[{\"key\":\"\",\"value\":\"dg==\"}]}"},
      {bulk, owner, "{\"metadata\":[{\"key\":\"a\",\"value\":\"!\"}]}"},
      {bulk, owner, "[]"},
    };
    for (String[] c : failing) {
      HttpResponse<String> direct = write(c, false);
      HttpResponse<String> routed = write(c, true);
      assertThat(direct.statusCode()).as(c[0] + " " + c[2]).isBetween(400, 499);
      assertThat(direct.statusCode()).as(c[0] + " " + c[2]).isEqualTo(routed.statusCode());
      assertThat(direct.body()).as(c[0] + " " + c[2]).isEqualTo(routed.body());
    }
    assertThat(gw.http().get("/management/v1/users/w1/metadata/k", owner).status())
        .as("nothing stored")
        .isEqualTo(404);

    String[] directSet = {set, owner, "{\"value\":\"ZGlyZWN0\"}"};
    String[] routedBulk = {bulk, owner, "{\"metadata\":[{\"key\":\"b\",\"value\":\"cm91dGVk\"}]}"};
    assertThat(
            new JsonObject(write(directSet, false).body())
                .getJsonObject("details")
                .getString("sequence"))
        .isEqualTo("1");
    assertThat(
            new JsonObject(write(routedBulk, true).body())
                .getJsonObject("details")
                .getString("sequence"))
        .isEqualTo("2");
    var stored = gw.http().post("/management/v1/users/w1/metadata/_search", owner, "{}").json();
    assertThat(stored.getJsonArray("result").size()).isEqualTo(2);
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

  /** A set or bulk set: its body with a length (router-less), or chunked (the router). */
  private static HttpResponse<String> write(String[] c, boolean chunked) throws Exception {
    byte[] body = c[2].getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().apiPort() + c[0]))
            .version(HttpClient.Version.HTTP_1_1)
            .header("content-type", "application/json")
            .POST(chunked ? HttpRequest.BodyPublishers.fromPublisher(publisher) : publisher);
    if (c[1] != null) {
      b.header("authorization", "Bearer " + c[1]);
    }
    if (c.length > 3) {
      b.header("x-zitadel-orgid", c[3]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Http.Response call(String[] c, String body) {
    Http.Call call = gw.http().call("GET", c[0]).token(c[1]).body(body);
    if (c[2] != null) {
      call.header("x-zitadel-orgid", c[2]);
    }
    return call.send();
  }
}
