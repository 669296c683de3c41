package dev.metagate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EdDSA (Ed25519) tokens, which vertx-auth-jwt supports on Java 15+. */
@ExtendWith(Invariants.class)
class EdDsaTest {
  @Test
  void ed25519Token_isAccepted_andATamperedOneIsNot() {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw = TestGateway.start(issuer)) {
      String token = issuer.eddsa(issuer.claims("ed-user", "org-ed"));
      var ok =
          gw.http().post("/management/v1/users/ed-user/metadata/k", token, "{\"value\":\"eA==\"}");
      assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
      String tampered = TestIssuer.tamper(token, issuer.claims("other", "org-ed"));
      var bad = gw.http().get("/management/v1/users/other/metadata/k", tampered);
      assertThat(bad.status()).isEqualTo(401);
    }
  }
}
