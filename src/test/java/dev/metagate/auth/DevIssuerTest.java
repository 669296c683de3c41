package dev.metagate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metagate.config.ConfigException;
import dev.metagate.config.ConfigLoader;
import dev.metagate.config.Sections.Auth;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dev issuer: its key file, a gateway trusting it, and the loopback-only rule. */
@ExtendWith(Invariants.class)
class DevIssuerTest {
  private static final String BODY = "{\"value\":\"aGk=\"}";

  @Test
  void loadOrCreate_createsAnOwnerOnlyKeyFile_andReusesItNextTime(@TempDir Path tmp)
      throws IOException {
    Path dir = tmp.resolve("data");

    DevIssuer first = DevIssuer.loadOrCreate(dir);
    Path file = dir.resolve(DevIssuer.KEY_FILE);
    String pem = Files.readString(file);
    DevIssuer second = DevIssuer.loadOrCreate(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(second.publicJwk().getString("kid")).isEqualTo(first.publicJwk().getString("kid"));
    assertThat(second.publicJwk()).isEqualTo(first.publicJwk());
    assertThat(Files.readString(file)).as("key not rewritten").isEqualTo(pem);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(DevIssuer.KEY_FILE);
    }
  }

  @Test
  void publicJwk_carriesNoPrivatePart(@TempDir Path tmp) throws IOException {
    JsonObject jwk = DevIssuer.loadOrCreate(tmp).publicJwk();
    assertThat(jwk.fieldNames()).containsExactlyInAnyOrder("kty", "use", "alg", "kid", "n", "e");
  }

  @Test
  void loadOrCreate_withAnUnusableKeyFile_failsNamingTheFile(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve(DevIssuer.KEY_FILE), "not a key");
    assertThatThrownBy(() -> DevIssuer.loadOrCreate(tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(DevIssuer.KEY_FILE);
  }

  @Test
  void gatewayWithDevIssuer_acceptsItsTokens_andServesItsJwksOnTheAdminPort() throws IOException {
    try (TestGateway gw = TestGateway.start(null, Map.of())) {
      Path file = gw.dir().resolve(DevIssuer.KEY_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      DevIssuer dev = DevIssuer.loadOrCreate(gw.dir());
      String token =
          dev.issue(
              gw.gateway().vertx(),
              Auth.DEV_ISSUER,
              "dev-admin",
              "dev-org",
              List.of("ORG_OWNER"),
              Duration.ofMinutes(5));

      Http.Response set = gw.http().post(path("someone", "k"), token, BODY);
      Http.Response jwks = gw.admin().get("/oauth/v2/keys", null);

      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      assertThat(gw.http().get(path("someone", "k"), token).status()).isEqualTo(200);
      assertThat(jwks.status()).isEqualTo(200);
      assertThat(jwks.header("content-type")).startsWith("application/json");
      assertThat(jwks.json()).isEqualTo(dev.jwks());
      assertThat(jwks.body()).doesNotContain("\"d\"", "PRIVATE");
    }
  }

  @Test
  void gatewayWithDevIssuer_rejectsOtherKeysAndIssuers() throws IOException {
    try (TestIssuer other = TestIssuer.start();
        TestGateway gw = TestGateway.start(null, Map.of())) {
      DevIssuer dev = DevIssuer.loadOrCreate(gw.dir());
      String wrongIssuer =
          dev.issue(gw.gateway().vertx(), other.url(), "u", "o", List.of(), Duration.ofMinutes(5));
      JsonObject claims = other.claims("u", "o").put("iss", Auth.DEV_ISSUER);

      assertThat(gw.http().post(path("u", "k"), wrongIssuer, BODY).status()).isEqualTo(401);
      assertThat(gw.http().post(path("u", "k"), other.rs256(claims), BODY).status())
          .as("a token signed by another key")
          .isEqualTo(401);
    }
  }

  @Test
  void gatewayWithoutDevIssuer_servesNoJwks() {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw = TestGateway.start(issuer)) {
      assertThat(gw.admin().get("/oauth/v2/keys", null).status()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
  void config_devIssuerOnNonLoopbackHost_isRefusedNamingTheKeys(String host) {
    Map<String, String> env =
        Map.of("METAGATE_AUTH_DEV_ISSUER", "true", "METAGATE_HTTP_HOST", host);
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.devIssuer")
        .hasMessageContaining("http.host")
        .hasMessageContaining(host)
        .hasMessageContaining("auth.devIssuerAnyHost");
  }

  @Test
  void config_devIssuerOnNonLoopbackHost_isAllowedWithDevIssuerAnyHost() {
    Map<String, String> env =
        Map.of(
            "METAGATE_AUTH_DEV_ISSUER", "true",
            "METAGATE_HTTP_HOST", "0.0.0.0",
            "METAGATE_AUTH_DEV_ISSUER_ANY_HOST", "true");
    assertThat(new ConfigLoader().load(null, env).auth().devIssuer()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "127.0.0.2"})
  void config_devIssuerOnLoopbackHost_isAllowed(String host) {
    Map<String, String> env =
        Map.of("METAGATE_AUTH_DEV_ISSUER", "true", "METAGATE_HTTP_HOST", host);
    assertThat(new ConfigLoader().load(null, env).http().host()).isEqualTo(host);
  }

  @Test
  void config_nonLoopbackHostWithoutDevIssuer_isAllowed() {
    Map<String, String> env =
        Map.of(
            "METAGATE_AUTH_ISSUER", "https://issuer.example.com", "METAGATE_HTTP_HOST", "0.0.0.0");
    assertThat(new ConfigLoader().load(null, env).auth().devIssuer()).isFalse();
  }

  private static String path(String user, String key) {
    return "/management/v1/users/" + user + "/metadata/" + key;
  }
}
