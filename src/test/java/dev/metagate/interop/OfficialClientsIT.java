package dev.metagate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.ChildGateway;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.TestIssuer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar against ZITADEL's official Node clients (<code>&#64;zitadel/node</code> over gRPC,
 * <code>&#64;zitadel/client</code> over gRPC-web), and metagate's protos against the descriptors
 * <code>&#64;zitadel/proto</code> publishes. The scripts live in {@code src/test/interop}; their
 * dependencies are pinned by its package-lock.json and installed on first use.
 */
class OfficialClientsIT {
  private static final String ORG = "interop-org";

  @TempDir static Path dir;
  static TestIssuer issuer;
  static ChildGateway gateway;

  @BeforeAll
  static void start() {
    Node.install();
    issuer = TestIssuer.start();
    gateway =
        ChildGateway.start(
            dir,
            Map.of(
                "METAGATE_AUTH_DEV_ISSUER", "false",
                "METAGATE_AUTH_ISSUER", issuer.url(),
                "METAGATE_AUTH_AUDIENCE", "metagate-tests"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void officialClients_getZitadelsAnswers_overGrpcAndGrpcWeb() {
    runOfficialClients(gateway);
  }

  /**
   * Runs the clients' script against {@code jar}: every check passes, and the jar logs no error.
   */
  private static void runOfficialClients(ChildGateway jar) {
    Node.Run run =
        Node.script(
            "official-clients.mjs",
            List.of(),
            Map.of(
                "METAGATE_URL", "http://127.0.0.1:" + jar.apiPort(),
                "METAGATE_TOKEN", issuer.token("interop-owner", ORG, "ORG_OWNER"),
                "METAGATE_NOBODY_TOKEN", issuer.token("interop-nobody", ORG)),
            90);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(jar.errorLines()).isEmpty();
  }

  /**
   * The same script against the jar in upstream mode (passthrough credentials) in front of the
   * in-process fake ZITADEL: the official clients get ZITADEL's answers through the sidecar too.
   */
  @Test
  void officialClients_throughUpstreamMode_getZitadelsAnswers(@TempDir Path upstreamDir) {
    try (FakeZitadel fake = FakeZitadel.start(issuer);
        ChildGateway sidecar =
            ChildGateway.start(
                upstreamDir,
                Map.of(
                    "METAGATE_MODE", "upstream",
                    "METAGATE_UPSTREAM_URL", fake.url(),
                    "METAGATE_AUTH_DEV_ISSUER", "false"))) {
      runOfficialClients(sidecar);
      assertThat(fake.calls("BulkSetUserMetadata")).as("went upstream").isPositive();
    }
  }

  @Test
  void ourProtos_matchTheDescriptorsOfZitadelProto() {
    Map<String, Map<String, String>> ours = ProtoShapes.of(ProtoShapes.OURS);
    Node.Run run = Node.script("proto-fields.mjs", List.copyOf(ours.keySet()), Map.of(), 60);
    assertThat(run.exitCode()).as(run.output()).isZero();
    Map<String, Map<String, String>> theirs = ProtoShapes.parse(run.output());
    assertThat(ProtoShapes.differences(ours, theirs)).isEmpty();
  }
}
