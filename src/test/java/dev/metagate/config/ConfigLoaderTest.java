package dev.metagate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static final Map<String, String> DEV = Map.of("METAGATE_AUTH_DEV_ISSUER", "true");

  private MetagateConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("metagate.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader().load(file, env);
  }

  @Test
  void defaults_matchConfigMd() {
    MetagateConfig c = new ConfigLoader().load(null, DEV);
    assertThat(c.mode()).isEqualTo("local");
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().maxBodySize()).isEqualTo(8L << 20);
    assertThat(c.http().maxInFlight()).isEqualTo(10_000);
    assertThat(c.http().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.admin().port()).isEqualTo(9090);
    assertThat(c.auth().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.auth().writeRoles()).containsExactly("ORG_OWNER", "ORG_USER_MANAGER");
    assertThat(c.auth().readRoles())
        .containsExactly(
            "ORG_OWNER", "ORG_USER_MANAGER", "ORG_OWNER_VIEWER", "ORG_USER_PERMISSION_EDITOR");
    assertThat(c.auth().instanceRoles()).containsExactly("IAM_OWNER");
    assertThat(c.auth().selfService()).isTrue();
    assertThat(c.store().path()).isEqualTo("data/metagate.db");
    assertThat(c.cache().maxBytes()).isEqualTo(256L << 20);
    assertThat(c.batch().maxSize()).isEqualTo(1000);
    assertThat(c.batch().maxDelay()).isEqualTo(Duration.ofMillis(1));
    assertThat(c.batch().maxQueue()).isEqualTo(100_000);
    assertThat(c.upstream().credentials()).isEqualTo("passthrough");
    assertThat(c.upstream().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.shutdown().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.log().format()).isEqualTo("text");
  }

  @Test
  void file_overridesDefaults_andEnvironmentOverridesFile() throws IOException {
    MetagateConfig c =
        load(
            "http:\n  port: 8081\n  maxBodySize: 64KiB\nbatch:\n  maxDelay: 250ms\nauth:\n  devIssuer: true\n",
            Map.of("METAGATE_HTTP_PORT", "9999", "METAGATE_CACHE_MAX_BYTES", "1GiB"));
    assertThat(c.http().port()).isEqualTo(9999);
    assertThat(c.http().maxBodySize()).isEqualTo(64 * 1024);
    assertThat(c.batch().maxDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.cache().maxBytes()).isEqualTo(1L << 30);
  }

  @Test
  void envNames_areDerivedFromKeys() {
    assertThat(Settings.BY_PATH.get("http.port").envName()).isEqualTo("METAGATE_HTTP_PORT");
    assertThat(Settings.BY_PATH.get("auth.jwksUrl").envName()).isEqualTo("METAGATE_AUTH_JWKS_URL");
    assertThat(Settings.BY_PATH.get("cache.permissionTtl").envName())
        .isEqualTo("METAGATE_CACHE_PERMISSION_TTL");
    assertThat(Settings.BY_PATH.get("auth.introspection.clientId").envName())
        .isEqualTo("METAGATE_AUTH_INTROSPECTION_CLIENT_ID");
    assertThat(Settings.ALL.stream().map(Setting::envName).distinct().count())
        .isEqualTo(Settings.ALL.size());
  }

  @Test
  void lists_fromEnvironment_areCommaSeparated() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_AUTH_AUDIENCE", "a, b ,c");
    assertThat(new ConfigLoader().load(null, env).auth().audience()).containsExactly("a", "b", "c");
  }

  @Test
  void lists_fromYaml_areYamlLists() throws IOException {
    MetagateConfig c = load("auth:\n  devIssuer: true\n  writeRoles: [A, B]\n", Map.of());
    assertThat(c.auth().writeRoles()).isEqualTo(List.of("A", "B"));
  }

  @Test
  void unknownKey_isRefusedNamingIt() {
    assertThatThrownBy(() -> load("http:\n  prot: 1\n", DEV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.prot");
    assertThatThrownBy(() -> load("bogus: 1\n", DEV)).hasMessageContaining("bogus");
  }

  @Test
  void badValues_areRefusedNamingKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> load("http:\n  port: 70000\n", DEV))
        .hasMessageContaining("http.port")
        .hasMessageContaining("70000")
        .hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> load("batch:\n  maxDelay: soon\n", DEV))
        .hasMessageContaining("batch.maxDelay")
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> load("cache:\n  maxBytes: 12XB\n", DEV))
        .hasMessageContaining("cache.maxBytes");
    assertThatThrownBy(() -> load("mode: sideways\n", DEV))
        .hasMessageContaining("mode")
        .hasMessageContaining("local, upstream");
    assertThatThrownBy(() -> load("auth:\n  selfService: maybe\n", DEV))
        .hasMessageContaining("auth.selfService");
    assertThatThrownBy(() -> load("http: 5\n", DEV)).hasMessageContaining("http");
  }

  @Test
  void badEnvironmentValue_isRefusedNamingTheKey() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_BATCH_MAX_SIZE", "lots");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .hasMessageContaining("batch.maxSize");
  }

  @Test
  void unknownMetagateVariable_isWarnedAbout() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_HTTP_PROT", "1");
    ConfigLoader loader = new ConfigLoader();
    loader.load(null, env);
    assertThat(loader.warnings()).singleElement().asString().contains("METAGATE_HTTP_PROT");
  }

  @Test
  void issuer_isRequiredWithoutDevIssuer() {
    assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of()))
        .hasMessageContaining("auth.issuer");
  }

  @Test
  void jwksUrl_defaultsToIssuerKeysPath() {
    MetagateConfig c =
        new ConfigLoader().load(null, Map.of("METAGATE_AUTH_ISSUER", "https://z.example.com/"));
    assertThat(c.auth().effectiveJwksUrl()).isEqualTo("https://z.example.com/oauth/v2/keys");
  }

  @Test
  void secrets_areMaskedInTheEffectiveConfiguration() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_UPSTREAM_TOKEN", "pat-secret-value");
    MetagateConfig c = new ConfigLoader().load(null, env);
    assertThat(c.effective().get("upstream.token")).isEqualTo("***");
    assertThat(c.effective().toString()).doesNotContain("pat-secret-value");
  }

  @Test
  void tls_needsBothPaths() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_HTTP_TLS_CERT_PATH", "/x.pem");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env)).hasMessageContaining("http.tls");
  }

  @Test
  void invalidYaml_isRefused() {
    assertThatThrownBy(() -> load("http: [\n", DEV)).isInstanceOf(ConfigException.class);
  }

  @Test
  void upstreamMode_needsUrl() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_MODE", "upstream");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .hasMessageContaining("upstream.url is required");
  }

  @Test
  void upstreamMode_urlMustBeHttpOrHttps() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_MODE", "upstream");
    env.put("METAGATE_UPSTREAM_URL", "ftp://zitadel.example.com");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .hasMessageContaining("upstream.url")
        .hasMessageContaining("ftp://zitadel.example.com");
  }

  @Test
  void upstreamMode_tokenCredentialsNeedAToken() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_MODE", "upstream");
    env.put("METAGATE_UPSTREAM_URL", "https://zitadel.example.com");
    env.put("METAGATE_UPSTREAM_CREDENTIALS", "token");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .hasMessageContaining("upstream.token")
        .hasMessageContaining("upstream.keyFile");
    env.put("METAGATE_UPSTREAM_KEY_FILE", "/etc/metagate/key.json");
    assertThat(new ConfigLoader().load(null, env).upstream().keyFile())
        .isEqualTo("/etc/metagate/key.json");
  }

  @Test
  void upstreamMode_aTokenAndAKeyFileTogether_areRefused() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_MODE", "upstream");
    env.put("METAGATE_UPSTREAM_URL", "https://zitadel.example.com");
    env.put("METAGATE_UPSTREAM_CREDENTIALS", "token");
    env.put("METAGATE_UPSTREAM_TOKEN", "a-pat");
    env.put("METAGATE_UPSTREAM_KEY_FILE", "/etc/metagate/key.json");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env)).hasMessageContaining("not both");
  }

  @Test
  void upstreamEvents_withoutAServiceToken_areRefusedNamingTheKeys() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_MODE", "upstream");
    env.put("METAGATE_UPSTREAM_URL", "https://zitadel.example.com");
    env.put("METAGATE_UPSTREAM_EVENTS_ENABLED", "true");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .hasMessageContaining("upstream.events.enabled")
        .hasMessageContaining("upstream.token");
    env.put("METAGATE_UPSTREAM_TOKEN", "a-pat");
    assertThat(new ConfigLoader().load(null, env).upstream().eventsEnabled()).isTrue();
  }

  @Test
  void upstreamMode_passthroughNeedsNoIssuer() {
    MetagateConfig c =
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "METAGATE_MODE", "upstream",
                    "METAGATE_UPSTREAM_URL", "https://zitadel.example.com"));
    assertThat(c.localMode()).isFalse();
    assertThat(c.verifiesTokens()).isFalse();
  }

  @Test
  void postgresStore_needsAUrl_andItsPasswordIsMasked() {
    Map<String, String> env = new HashMap<>(DEV);
    env.put("METAGATE_STORE_TYPE", "postgres");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.url");
    env.put("METAGATE_STORE_URL", "mysql://u:secret@h/db");
    assertThatThrownBy(() -> new ConfigLoader().load(null, env))
        .hasMessageContaining("postgres://")
        .hasMessageNotContaining("secret");
    env.put("METAGATE_STORE_URL", "postgres://u:secret@db.example:5432/metagate");
    MetagateConfig c = new ConfigLoader().load(null, env);
    assertThat(c.store().postgres()).isTrue();
    assertThat(c.store().maxConnections()).isEqualTo(8);
    assertThat(c.store().statementTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.effective().get("store.url")).isEqualTo("***");
  }
}
