package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.LogCapture;
import dev.metagate.testing.SelfSigned;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https ZITADEL is verified: a self-signed certificate is refused (503 code 14 and a WARN that
 * says how to trust it) until its CA is in the JVM's trust store ({@code javax.net.ssl.trustStore},
 * the documented way, as config.md has no key for a CA).
 */
@ExtendWith(Invariants.class)
class UpstreamTlsTest {
  private static TestIssuer issuer;
  private static FakeZitadel fake;
  private static SelfSigned cert;
  private static String owner;

  @BeforeAll
  static void start(@TempDir Path dir) {
    issuer = TestIssuer.start();
    cert = SelfSigned.create(dir);
    fake = FakeZitadel.startTls(issuer, cert.serverKey());
    owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
  }

  @AfterAll
  static void stop() {
    fake.close();
    issuer.close();
  }

  @Test
  void selfSignedZitadel_isRefusedWith503AndAWarningNamingTheFix() {
    int mark = LogCapture.mark();
    // a cold JVM's first handshake (trust store, crypto) can outlast the tests' 800 ms timeout
    try (TestGateway gw = Upstreams.gateway(fake, Map.of("METAGATE_UPSTREAM_TIMEOUT", "5s"))) {
      var r = gw.http().get(path("tls-user", "k"), owner);
      assertThat(r.status()).as(r.toString()).isEqualTo(503);
      assertThat(r.json().getInteger("code")).isEqualTo(14);
      assertThat(gw.http().get(path("tls-user", "k"), owner).status()).isEqualTo(503);
    }
    var warnings =
        LogCapture.since(mark).stream()
            .filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().endsWith("ZitadelClient"))
            .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
        .contains(fake.url())
        .contains("javax.net.ssl.trustStore");
    assertThat(fake.totalCalls()).isZero();
  }

  @Test
  void selfSignedZitadel_withItsCaTrusted_answers() {
    String before = System.getProperty("javax.net.ssl.trustStore");
    System.setProperty("javax.net.ssl.trustStore", cert.trustStore().toString());
    System.setProperty("javax.net.ssl.trustStorePassword", cert.password());
    try (TestGateway gw = Upstreams.gateway(fake, Map.of("METAGATE_UPSTREAM_TIMEOUT", "5s"))) {
      var r = gw.http().get(path("tls-user", "k"), owner);
      assertThat(r.status()).as(r.toString()).isEqualTo(404); // ZITADEL's own "not found"
      assertThat(r.json().getInteger("code")).isEqualTo(5);
    } finally {
      restore("javax.net.ssl.trustStore", before);
      System.clearProperty("javax.net.ssl.trustStorePassword");
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
