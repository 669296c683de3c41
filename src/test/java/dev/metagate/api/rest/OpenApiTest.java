package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http.Response;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The OpenAPI document on the admin port describes exactly the routes the API port serves: every
 * operation in the file reaches a handler of the real gateway, and every route in {@link
 * RestRoutes#ALL} (which the gateway serves, checked the same way) is in the file.
 */
class OpenApiTest extends SharedGateway {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static Map<String, Object> doc;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void fetch() {
    Response r = gw.admin().get("/openapi.yaml", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/yaml");
    doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(r.body());
  }

  @Test
  void document_isOpenApi3WithBearerSecurity() {
    assertThat((String) doc.get("openapi")).startsWith("3.0");
    assertThat(section("components", "securitySchemes", "bearer"))
        .containsEntry("type", "http")
        .containsEntry("scheme", "bearer");
    assertThat(section("components", "schemas", "Error")).containsKey("properties");
  }

  @Test
  void everyOperationInTheDocument_isRoutedByTheGateway() {
    Set<String> documented = documentedRoutes();
    assertThat(documented).isNotEmpty();
    for (String route : documented) {
      String[] mp = route.split(" ", 2);
      assertRouted(mp[0], mp[1]);
    }
  }

  @Test
  void everyServedRoute_isInTheDocument_andNothingElse() {
    Set<String> served = new HashSet<>();
    for (RestRoutes.Route r : RestRoutes.ALL) {
      assertRouted(r.method(), r.path());
      served.add(r.method() + " " + r.path());
    }
    assertThat(documentedRoutes()).isEqualTo(served);
  }

  @Test
  void anUndocumentedPath_isNotRouted_soTheCheckCanFail() {
    var r = owner.raw("POST", "/v2/users/u1/metadata/other", "{}");
    assertThat(isRouted(r)).isFalse();
  }

  /** "METHOD /path/{template}" for every operation under {@code paths}. */
  @SuppressWarnings("unchecked")
  private static Set<String> documentedRoutes() {
    Set<String> out = new HashSet<>();
    Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
    paths.forEach(
        (path, item) ->
            ((Map<String, Object>) item)
                .keySet().stream()
                    .filter(HTTP_METHODS::contains)
                    .forEach(m -> out.add(m.toUpperCase() + " " + path)));
    return out;
  }

  private static void assertRouted(String method, String template) {
    String path = template.replace("{userId}", "openapi-user").replace("{key}", "k");
    String body = method.equals("GET") ? null : "{}";
    Response r = owner.raw(method, path + (method.equals("DELETE") ? "?keys=k" : ""), body);
    assertThat(isRouted(r)).as(method + " " + template + " -> " + r).isTrue();
  }

  /** Not the router's 404 (no handler) nor 405 (handler without that method). */
  private static boolean isRouted(Response r) {
    if (r.status() == 405) {
      return false;
    }
    return r.status() != 404 || new JsonObject(r.body()).containsKey("details");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(String... names) {
    Map<String, Object> m = doc;
    for (String n : names) {
      m = (Map<String, Object>) m.get(n);
      assertThat(m).as(String.join(".", List.of(names))).isNotNull();
    }
    return m;
  }
}
