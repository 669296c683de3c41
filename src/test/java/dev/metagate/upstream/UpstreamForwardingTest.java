package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream mode with passthrough credentials: every endpoint answers as ZITADEL does when called
 * directly, invalid requests never reach ZITADEL, and ZITADEL's own errors come back untouched.
 */
@ExtendWith(Invariants.class)
class UpstreamForwardingTest {
  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension static final Sidecar up = Sidecar.with(Map.of());

  private static String newUser() {
    return "up-user-" + USERS.incrementAndGet();
  }

  /** One scripted step against a user, sent to a given base (metagate or the fake). */
  private record Step(String method, String last, String body) {
    Http.Response send(Http http, String user, String token) {
      return http.call(method, path(user, last)).token(token).body(body).send();
    }
  }

  private static final List<Step> HISTORY =
      List.of(
          new Step(
              "POST",
              "_bulk",
              "{\"metadata\":[{\"key\":\"a\",\"value\":\"YQ==\"},{\"key\":\"b\",\"value\":\"Yg==\"}]}"),
          new Step("POST", "c", "{\"value\":\"Yw==\"}"),
          new Step("GET", "a", null),
          new Step("POST", "_search", "{\"query\":{\"limit\":2},\"queries\":[]}"),
          new Step(
              "POST",
              "_search",
              "{\"queries\":[{\"keyQuery\":{\"key\":\"b\",\"method\":\"TEXT_QUERY_METHOD_STARTS_WITH\"}}]}"),
          new Step("DELETE", "c", null),
          new Step("DELETE", "c", null),
          new Step("GET", "c", null),
          new Step("DELETE", "_bulk", "{\"keys\":[\"a\",\"zz\"]}"),
          new Step("DELETE", "_bulk", "{\"keys\":[\"a\",\"b\"]}"),
          new Step("POST", "_search", "{}"));

  @Test
  void everyEndpointAndItsNotFoundRows_answerAsZitadelDirectly() {
    String viaGateway = newUser();
    String direct = newUser();
    for (Step step : HISTORY) {
      var mine = step.send(up.gw.http(), viaGateway, up.owner);
      var theirs = step.send(up.fake.http(), direct, up.owner);
      assertThat(Upstreams.normalized(mine))
          .as(step.toString())
          .isEqualTo(Upstreams.normalized(theirs));
    }
  }

  static Stream<Arguments> invalidRequests() {
    String longKey = "k".repeat(201);
    String bigValue = java.util.Base64.getEncoder().encodeToString(new byte[500_001]);
    return Stream.of(
        Arguments.of("POST", "_bulk", "{"),
        Arguments.of("POST", "_bulk", "[]"),
        Arguments.of("POST", "_bulk", "{\"metadata\":[]}"),
        Arguments.of("POST", "_bulk", "{}"),
        Arguments.of(
            "POST", "_bulk", "{\"metadata\":[{\"key\":\"" + longKey + "\",\"value\":\"YQ==\"}]}"),
        Arguments.of("POST", "_bulk", "{\"metadata\":[{\"key\":\"k\",\"value\":\"%%%\"}]}"),
        Arguments.of(
            "POST", "_bulk", "{\"metadata\":[{\"key\":\"k\",\"value\":\"" + bigValue + "\"}]}"),
        Arguments.of("POST", "_bulk", "{\"metadata\":[{\"key\":\"k\\u0000\",\"value\":\"YQ==\"}]}"),
        Arguments.of("POST", "k", "{\"value\":\"\"}"),
        Arguments.of("POST", longKey, "{\"value\":\"YQ==\"}"),
        Arguments.of("POST", "k", "{\"value\":5}"),
        Arguments.of("POST", "_search", "{\"query\":{\"limit\":1001}}"),
        Arguments.of(
            "POST",
            "_search",
            "{\"queries\":[{\"keyQuery\":{\"key\":\"k\",\"method\":\"NOPE\"}}]}"),
        Arguments.of("GET", longKey, null),
        Arguments.of("DELETE", longKey, null),
        Arguments.of("DELETE", "_bulk", "{\"keys\":[]}"),
        Arguments.of("DELETE", "_bulk", "{\"keys\":[\"\"]}"),
        Arguments.of("DELETE", "_bulk", "{\"keys\":\"a\"}"));
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("invalidRequests")
  void invalidRequest_answeredLocallyAsZitadelWould_withZeroUpstreamCalls(
      String method, String last, String body) {
    String user = newUser();
    var mine = up.gw.http().call(method, path(user, last)).token(up.owner).body(body).send();
    assertThat(up.fake.totalCalls()).as("upstream calls").isZero();
    var theirs = up.fake.http().call(method, path(user, last)).token(up.owner).body(body).send();
    assertThat(mine.status()).isEqualTo(400);
    assertThat(mine.json()).isEqualTo(theirs.json());
  }

  @Test
  void userIdTooLong_answeredLocally_withZeroUpstreamCalls() {
    String user = "u".repeat(201);
    var mine = up.gw.http().get(path(user, "k"), up.owner);
    assertThat(up.fake.totalCalls()).isZero();
    assertThat(mine.json()).isEqualTo(up.fake.http().get(path(user, "k"), up.owner).json());
  }

  @Test
  void revokedToken_zitadels401PassedBackUntouched() {
    String token = up.issuer.token("owner-2", Upstreams.ORG, "ORG_OWNER");
    up.fake.revoke(token);
    var mine = up.gw.http().get(path(newUser(), "k"), token);
    var theirs = up.fake.http().get(path(newUser(), "k"), token);
    assertThat(mine.status()).isEqualTo(401);
    assertThat(mine.body()).isEqualTo(theirs.body());
  }

  @Test
  void callerWithoutPermission_zitadels403PassedBackUntouched() {
    String stranger = up.issuer.token("someone", "org-2", "ORG_OWNER");
    String user = newUser();
    BiFunction<Http, String, Http.Response> get = (http, u) -> http.get(path(u, "k"), stranger);
    var mine =
        up.gw
            .http()
            .call("GET", path(user, "k"))
            .token(stranger)
            .header("x-zitadel-orgid", Upstreams.ORG)
            .send();
    var theirs =
        up.fake
            .http()
            .call("GET", path(user, "k"))
            .token(stranger)
            .header("x-zitadel-orgid", Upstreams.ORG)
            .send();
    assertThat(mine.status()).isEqualTo(403);
    assertThat(mine.body()).isEqualTo(theirs.body());
    assertThat(get.apply(up.gw.http(), user).status()).isEqualTo(404);
  }

  @Test
  void passthrough_forwardsCallersAuthorizationOrgAndRequestId() {
    up.gw
        .http()
        .call("GET", path(newUser(), "k"))
        .token(up.owner)
        .header("x-zitadel-orgid", Upstreams.ORG)
        .header("x-request-id", "trace-123")
        .send();
    var seen = up.fake.lastHeaders("ListUserMetadata");
    assertThat(seen.get("authorization")).isEqualTo("Bearer " + up.owner);
    assertThat(seen.get("x-zitadel-orgid")).isEqualTo(Upstreams.ORG);
    assertThat(seen.get("x-request-id")).isEqualTo("trace-123");
  }

  @Test
  void keyWithSlashAndUnicode_reachesZitadelAsOneKey() {
    String user = newUser();
    var set = up.gw.http().post(path(user, "a%2Fb%C3%A9"), up.owner, "{\"value\":\"YQ==\"}");
    assertThat(set.status()).isEqualTo(200);
    var got = up.fake.http().get(path(user, "a%2Fb%C3%A9"), up.owner);
    assertThat(got.json().getJsonObject("metadata").getString("key")).isEqualTo("a/bé");
  }

  @Test
  void passThrough_orgsMe_keepsStatusHeadersBodyAndRequestId() {
    var mine =
        up.gw
            .http()
            .call("GET", "/management/v1/orgs/me")
            .token(up.owner)
            .header("x-zitadel-orgid", "org-9")
            .header("x-request-id", "trace-9")
            .send();
    var seen = up.fake.lastHeaders(FakeZitadel.ORGS_ME);
    assertThat(seen.get("x-request-id")).isEqualTo("trace-9");
    assertThat(seen.get("authorization")).isEqualTo("Bearer " + up.owner);
    assertThat(seen.get("host")).isEqualTo(up.fake.url().substring("http://".length()));
    var theirs =
        up.fake
            .http()
            .call("GET", "/management/v1/orgs/me")
            .token(up.owner)
            .header("x-zitadel-orgid", "org-9")
            .send();
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.body()).isEqualTo(theirs.body());
    assertThat(mine.header("x-fake-zitadel")).isEqualTo("1");
    assertThat(mine.header("x-request-id")).isEqualTo("trace-9");
    assertThat(mine.headers().allValues("x-request-id")).hasSize(1);
  }

  @Test
  void passThrough_orgsMeWithoutToken_zitadels401Untouched() {
    var mine = up.gw.http().call("GET", "/management/v1/orgs/me").send();
    assertThat(mine.status()).isEqualTo(401);
    assertThat(mine.body())
        .isEqualTo(up.fake.http().call("GET", "/management/v1/orgs/me").send().body());
  }

  @Test
  void passThrough_oauthToken_streamsFormBodyAndAnswer() {
    String form = "grant_type=client_credentials&scope=openid";
    var mine =
        up.gw
            .http()
            .call("POST", "/oauth/v2/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send();
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.json().getString("received")).isEqualTo(form);
    assertThat(mine.header("cache-control")).isEqualTo("no-store");
    assertThat(up.fake.calls(FakeZitadel.OAUTH_TOKEN)).isEqualTo(1);
  }

  @Test
  void passThrough_nonMetadataUserPath_reachesZitadel() {
    up.gw.http().get("/management/v1/users/u1", up.owner);
    up.gw.http().call("PUT", path("u1", "k")).token(up.owner).send();
    assertThat(up.fake.calls("other")).isEqualTo(1);
    assertThat(up.fake.calls("SetUserMetadata")).isEqualTo(0);
    assertThat(up.fake.totalCalls()).isEqualTo(2);
  }

  @Test
  void metrics_countUpstreamCallsByOperationAndOutcome() {
    up.gw.http().get(path(newUser(), "k"), up.owner);
    String scrape = up.gw.admin().get("/metrics", null).body();
    assertThat(scrape)
        .contains(
            "metagate_upstream_requests_total{operation=\"ListUserMetadata\",outcome=\"rejected\"}")
        .contains("metagate_upstream_circuit_open 0.0")
        .contains("metagate_upstream_coalesced_requests_total");
  }
}
