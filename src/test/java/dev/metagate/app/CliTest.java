package dev.metagate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env)
        .run(args);
  }

  private Path config(String yaml) throws IOException {
    Path f = dir.resolve("metagate.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void help_printsUsage_exit0() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("check-config").contains("token");
  }

  @Test
  void version_exit0() {
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString()).startsWith("metagate ");
  }

  @Test
  void checkConfig_printsEffectiveConfiguration_exit0() throws IOException {
    Path f = config("auth:\n  devIssuer: true\nhttp:\n  port: 8181\n");
    assertThat(run(Map.of(), "check-config", "--config", f.toString())).isZero();
    assertThat(out.toString()).contains("http.port: 8181").contains("configuration OK");
  }

  @Test
  void checkConfig_unknownKey_exit2_withOneLineNamingIt() throws IOException {
    Path f = config("auth:\n  devIssuer: true\nhttp:\n  prot: 1\n");
    assertThat(run(Map.of(), "check-config", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString().strip()).contains("http.prot").doesNotContain("\n");
  }

  @Test
  void badEnvironmentValue_exit2() throws IOException {
    Path f = config("auth:\n  devIssuer: true\n");
    assertThat(run(Map.of("METAGATE_HTTP_PORT", "x"), "check-config", "--config", f.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("http.port");
  }

  @Test
  void missingConfigFile_exit2() {
    assertThat(run(Map.of(), "check-config", "--config", dir.resolve("nope.yaml").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("nope.yaml");
  }

  @Test
  void unknownCommandOrArgument_exit2() {
    assertThat(run(Map.of(), "frobnicate")).isEqualTo(2);
    assertThat(run(Map.of(), "check-config", "stray")).isEqualTo(2);
  }

  @Test
  void token_printsAJwtWithTheRequestedClaims() throws IOException {
    Path f = config("auth:\n  devIssuer: true\nstore:\n  path: " + dir.resolve("m.db") + "\n");
    int code =
        run(
            Map.of(),
            "token",
            "--config",
            f.toString(),
            "--sub",
            "alice",
            "--org",
            "acme",
            "--roles",
            "ORG_OWNER,ORG_USER_MANAGER",
            "--ttl",
            "1h");
    assertThat(code).isZero();
    String[] parts = out.toString().strip().split("\\.");
    assertThat(parts).hasSize(3);
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload)
        .contains("\"sub\":\"alice\"")
        .contains("\"urn:zitadel:iam:user:resourceowner:id\":\"acme\"")
        .contains("ORG_USER_MANAGER");
    assertThat(Files.exists(dir.resolve("dev-issuer-key.pem"))).isTrue();
  }

  @Test
  void selfTest_callsEveryEndpointOfAThrowAwayInstance_exit0() {
    assertThat(run(Map.of(), "self-test")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("self-test passed");
  }

  @Test
  void token_withoutDevIssuer_exit2() throws IOException {
    Path f = config("auth:\n  issuer: https://zitadel.example.com\n");
    assertThat(run(Map.of(), "token", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("auth.devIssuer");
  }
}
