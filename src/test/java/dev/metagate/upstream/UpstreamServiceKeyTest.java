package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.eventually;
import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metagate.testing.FakeServiceUser;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token mode with {@code upstream.keyFile}: metagate logs in as the service user with ZITADEL's JWT
 * profile grant, calls ZITADEL with the access token it got, renews it before it expires, is not
 * ready (and answers 503 UNAVAILABLE without calling ZITADEL's metadata API) while it has none, and
 * refuses to start with an unusable key file.
 */
@ExtendWith(Invariants.class)
class UpstreamServiceKeyTest {
  private static TestIssuer issuer;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stop() {
    issuer.close();
  }

  private static TestGateway gateway(FakeZitadel fake, String keyFile) throws IOException {
    Path file = Files.createTempFile(dir, "key", ".json");
    Files.writeString(file, keyFile);
    return Upstreams.gateway(
        fake,
        Map.of(
            "METAGATE_UPSTREAM_CREDENTIALS",
            "token",
            "METAGATE_UPSTREAM_KEY_FILE",
            file.toString()));
  }

  @Test
  void zitadelsKeyFile_loggedInWithTheJwtProfile_callsCarryTheIssuedToken() throws Exception {
    try (FakeZitadel fake = FakeZitadel.start(issuer);
        TestGateway gw = gateway(fake, fake.serviceUser().keyFile())) {
      eventually(5_000, () -> gw.admin().get("/health/ready", null).status() == 200);
      String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
      var r = gw.http().post(path("sk-1", "k"), owner, "{\"value\":\"YQ==\"}");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(fake.lastHeaders("SetUserMetadata").get("authorization")).isEqualTo("Bearer sa-1");
      assertThat(fake.lastHeaders("SetUserMetadata").get("x-zitadel-orgid"))
          .isEqualTo(Upstreams.ORG);
      var assertion = fake.serviceUser().lastAssertion();
      assertThat(assertion.getString("iss")).isEqualTo(FakeServiceUser.USER_ID);
      assertThat(assertion.getLong("exp") - assertion.getLong("iat")).isBetween(60L, 3600L);
      assertThat(fake.serviceUser().grants()).isEqualTo(1);
      assertThat(
              gw.http()
                  .get(path("sk-1", "k"), owner)
                  .json()
                  .getJsonObject("metadata")
                  .getString("value"))
          .isEqualTo("YQ==");
    }
  }

  @Test
  void pkcs8KeyFile_worksToo() throws Exception {
    try (FakeZitadel fake = FakeZitadel.start(issuer);
        TestGateway gw = gateway(fake, fake.serviceUser().keyFilePkcs8())) {
      eventually(5_000, () -> fake.serviceUser().grants() == 1);
      String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
      assertThat(gw.http().get(path("sk-2", "k"), owner).status()).isEqualTo(404);
      assertThat(fake.lastHeaders("ListUserMetadata").get("authorization"))
          .isEqualTo("Bearer sa-1");
    }
  }

  @Test
  void shortLivedTokens_areRenewedBeforeTheyExpire_callsNeverFail() throws Exception {
    try (FakeZitadel fake = FakeZitadel.start(issuer)) {
      fake.serviceUser().lifetime(Duration.ofSeconds(4));
      try (TestGateway gw = gateway(fake, fake.serviceUser().keyFile())) {
        String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
        eventually(5_000, () -> fake.serviceUser().grants() == 1);
        long end = System.nanoTime() + 5_500_000_000L;
        int i = 0;
        while (System.nanoTime() < end) { // across at least one renewal at 3 s
          var r = gw.http().post(path("sk-3", "k" + i++), owner, "{\"value\":\"YQ==\"}");
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          Thread.sleep(50);
        }
        assertThat(fake.serviceUser().grants()).isGreaterThanOrEqualTo(2);
        assertThat(fake.lastHeaders("SetUserMetadata").get("authorization"))
            .isNotEqualTo("Bearer sa-1");
      }
    }
  }

  @Test
  void refusedKey_notReady_callsAre503WithoutUpstreamCalls_thenRecovers() throws Exception {
    try (FakeZitadel fake = FakeZitadel.start(issuer)) {
      fake.serviceUser().refuse(true);
      try (TestGateway gw = gateway(fake, fake.serviceUser().keyFile())) {
        eventually(5_000, () -> fake.calls(FakeZitadel.OAUTH_TOKEN) >= 2); // retried
        assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(503);
        assertThat(gw.admin().get("/health/ready", null).body()).contains("serviceToken");
        String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
        var r = gw.http().get(path("sk-4", "k"), owner);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().getInteger("code")).isEqualTo(14);
        assertThat(r.header("retry-after")).isNotNull();
        assertThat(fake.calls("ListUserMetadata")).isZero();

        fake.serviceUser().refuse(false);
        eventually(10_000, () -> gw.admin().get("/health/ready", null).status() == 200);
        assertThat(gw.http().get(path("sk-4", "k"), owner).status()).isEqualTo(404);
      }
    }
  }

  @Test
  void unusableKeyFiles_stopTheStart_withoutQuotingTheKey() throws Exception {
    try (FakeZitadel fake = FakeZitadel.start(issuer)) {
      String good = fake.serviceUser().keyFile();
      String secret = good.substring(good.indexOf("KEY-----") + 9, good.indexOf("KEY-----") + 40);
      Map<String, String> bad =
          Map.of(
              "{not json",
              "is not a JSON key file",
              good.replace("serviceaccount", "application"),
              "\"type\" must be \"serviceaccount\"",
              good.replace("userId", "user"),
              "has no \"userId\"",
              good.replace(secret, secret.substring(0, 10) + "AAAA" + secret.substring(14)),
              "not a usable RSA private key",
              good.replace("BEGIN RSA PRIVATE", "BEGIN EC PRIVATE"),
              "not a PEM RSA private key");
      for (var e : bad.entrySet()) {
        assertThatThrownBy(() -> gateway(fake, e.getKey()).close())
            .as(e.getValue())
            .hasStackTraceContaining("upstream.keyFile")
            .hasStackTraceContaining(e.getValue())
            .satisfies(t -> assertThat(messages(t)).doesNotContain(secret));
      }
      assertThat(fake.calls(FakeZitadel.OAUTH_TOKEN)).isZero();
    }
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
