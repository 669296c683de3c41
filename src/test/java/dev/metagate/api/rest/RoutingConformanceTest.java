package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error table's routing rows in local mode: a known path with a method it does not offer is 405
 * with code 12; an unknown path is 404 with code 5.
 */
class RoutingConformanceTest extends SharedGateway {
  private static final JsonObject METHOD_NOT_ALLOWED = error(12, "Method Not Allowed");
  private static final JsonObject NOT_FOUND = error(5, "Not Found");

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /management/v1/users/u1/metadata/_bulk",
    "PUT, /management/v1/users/u1/metadata/_bulk",
    "PATCH, /management/v1/users/u1/metadata/_bulk",
    "GET, /management/v1/users/u1/metadata/_search",
    "PUT, /management/v1/users/u1/metadata/_search",
    "DELETE, /management/v1/users/u1/metadata/_search",
    "PUT, /management/v1/users/u1/metadata/k",
    "PATCH, /management/v1/users/u1/metadata/k",
  })
  void knownPath_otherMethod_returns405Unimplemented(String method, String path) {
    var r = owner.raw(method, path, "{}");
    assertThat(json(r, 405)).isEqualTo(METHOD_NOT_ALLOWED);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /",
    "GET, /foo",
    "POST, /management/v1/orgs/me",
    "GET, /management/v1/users/u1",
    "GET, /management/v1/users/u1/metadata",
    "POST, /management/v1/users/u1/metadata",
    "GET, /management/v1/users/u1/other/k",
    "GET, /management/v1/users/u1/metadata/a/b",
    "DELETE, /management/v1/users/u1/metadata/k/",
    "PATCH, /v3/whatever",
  })
  void unknownPath_returns404NotFound(String method, String path) {
    var r = owner.raw(method, path, null);
    assertThat(json(r, 404)).isEqualTo(NOT_FOUND);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GET, /foo, 404", "PUT, /management/v1/users/u1/metadata/k, 405"})
  void routingErrors_comeBeforeAuthentication(String method, String path, int status) {
    var r = v1(null).raw(method, path, null);
    assertThat(json(r, status)).isEqualTo(status == 404 ? NOT_FOUND : METHOD_NOT_ALLOWED);
  }
}
