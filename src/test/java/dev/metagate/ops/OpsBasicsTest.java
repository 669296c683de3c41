package dev.metagate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.LogCapture;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import dev.metagate.testing.WithGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Invariants.class)
@WithGateway
class OpsBasicsTest {
  static TestIssuer issuer;
  static TestGateway gw;

  @Test
  void requestId_isEchoed_whenTheCallerSendsOne() {
    var r =
        gw.http()
            .call("GET", "/management/v1/users/u/metadata/k")
            .header("x-request-id", "trace-123")
            .send();
    assertThat(r.header("x-request-id")).isEqualTo("trace-123");
  }

  @Test
  void requestId_isGenerated_whenAbsentOrUnusable() {
    var a = gw.http().call("GET", "/management/v1/users/u/metadata/k").send();
    var b = gw.http().call("GET", "/management/v1/users/u/metadata/k").send();
    assertThat(a.header("x-request-id")).isNotBlank().isNotEqualTo(b.header("x-request-id"));
    var tooLong =
        gw.http()
            .call("GET", "/management/v1/users/u/metadata/k")
            .header("x-request-id", "x".repeat(500))
            .send();
    assertThat(tooLong.header("x-request-id")).isNotBlank().hasSizeLessThan(100);
  }

  @Test
  void health_liveAndReady_answerJsonWithEachCheck() {
    var live = gw.admin().get("/health/live", null);
    assertThat(live.status()).isEqualTo(200);
    var ready = gw.admin().get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json())
        .isEqualTo(
            new JsonObject()
                .put("status", "UP")
                .put("checks", new JsonObject().put("serving", "UP").put("store", "UP")));
  }

  @Test
  void neitherTokensNorMetadataValues_everReachTheLog() {
    String secret = "s3cr3t-metadata-value-" + System.nanoTime();
    String value = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    String token = issuer.token("logger", "org-log", "ORG_OWNER");
    gw.http()
        .post("/management/v1/users/logger/metadata/k", token, "{\"value\":\"" + value + "\"}");
    gw.http().get("/management/v1/users/logger/metadata/k", token);
    gw.http().post("/management/v1/users/logger/metadata/_search", token, "{}");
    gw.http()
        .post(
            "/management/v1/users/logger/metadata/_bulk",
            token,
            "{\"metadata\":[{\"key\":\"k\",\"value\":\"%%%\"}]}");
    gw.http().get("/management/v1/users/logger/metadata/k", token + "tampered");
    String signature = token.substring(token.lastIndexOf('.') + 1);
    assertThat(LogCapture.allFormatted())
        .noneMatch(line -> line.contains(secret) || line.contains(value))
        .noneMatch(line -> line.contains(signature));
  }
}
