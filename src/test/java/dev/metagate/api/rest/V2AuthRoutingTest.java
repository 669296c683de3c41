package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http.Response;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The v2 endpoints go through the same authentication, org and permission checks as v1. */
class V2AuthRoutingTest extends SharedGateway {

  static Stream<Arguments> everyEndpoint() {
    return Stream.of(
        Arguments.of("set", (BiFunction<V2, String, Response>) (c, u) -> c.setText(u, "a", "1")),
        Arguments.of("list", (BiFunction<V2, String, Response>) (c, u) -> c.list(u, "{}")),
        Arguments.of("delete", (BiFunction<V2, String, Response>) (c, u) -> c.delete(u, "a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_noToken_returns401(String name, BiFunction<V2, String, Response> call) {
    var r = call.apply(new V2(v1(null)), newUser());
    assertThat(json(r, 401).getInteger("code")).isEqualTo(16);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_garbageToken_returns401(String name, BiFunction<V2, String, Response> call) {
    var r = call.apply(new V2(v1("not.a.jwt")), newUser());
    assertThat(json(r, 401).getInteger("code")).isEqualTo(16);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_otherOrgWithoutAnyGrant_returns403AuthBs7Ds(
      String name, BiFunction<V2, String, Response> call) {
    var r = call.apply(new V2(owner.inOrg("org-elsewhere")), newUser());
    assertThat(json(r, 403)).isEqualTo(error(7, "AUTH-Bs7Ds", "No matching permissions found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_noRoleForOtherUserInOwnOrg_returns403WithoutId(
      String name, BiFunction<V2, String, Response> call) {
    var r = call.apply(new V2(v1(issuer.token("plain-user", ORG))), newUser());
    assertThat(json(r, 403)).isEqualTo(error(7, "No matching permissions found"));
  }

  @Test
  void readRole_mayListButNotSetOrDelete() {
    String user = newUser();
    new V2(owner).setText(user, "a", "1");
    V2 viewer = new V2(v1(issuer.token("viewer", ORG, "ORG_OWNER_VIEWER")));
    json(viewer.list(user, "{}"), 200);
    json(viewer.setText(user, "a", "2"), 403);
    json(viewer.delete(user, "a"), 403);
  }

  @Test
  void selfService_userMayWriteAndReadItsOwnMetadata() {
    V2 self = new V2(v1(issuer.token("self-v2", ORG)));
    json(self.setText("self-v2", "a", "1"), 200);
    assertThat(json(self.list("self-v2", "{}"), 200).getJsonArray("metadata")).hasSize(1);
    json(self.delete("self-v2", "a"), 200);
  }

  @Test
  void badBody_isRefusedBeforeAuthentication() {
    var r = new V2(v1(null)).set(newUser(), "{");
    assertThat(json(r, 400)).isEqualTo(error(3, "request body is not valid JSON"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /v2/users/u1/metadata",
    "PUT, /v2/users/u1/metadata",
    "PATCH, /v2/users/u1/metadata",
    "GET, /v2/users/u1/metadata/search",
    "DELETE, /v2/users/u1/metadata/search",
  })
  void knownPath_otherMethod_returns405Unimplemented(String method, String path) {
    assertThat(json(owner.raw(method, path, null), 405)).isEqualTo(error(12, "Method Not Allowed"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /v2/users/u1",
    "POST, /v2/users/u1/metadata/other",
    "POST, /v2/users/u1/metadata/search/x",
    "POST, /v2/users/u1/email",
    "POST, /v2/users",
  })
  void unknownPath_returns404NotFound(String method, String path) {
    assertThat(json(owner.raw(method, path, null), 404)).isEqualTo(error(5, "Not Found"));
  }
}
