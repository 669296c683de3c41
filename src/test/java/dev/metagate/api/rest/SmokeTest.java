package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Invariants.class)
class SmokeTest {
  static TestIssuer issuer;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    gw = TestGateway.start(issuer);
  }

  @AfterAll
  static void stop() {
    gw.close();
    issuer.close();
  }

  @Test
  void setThenGet_returnsTheValue() {
    String token = issuer.token("u1", "org1");
    var set = gw.http().post("/management/v1/users/u1/metadata/k", token, "{\"value\":\"aGk=\"}");
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    var get = gw.http().get("/management/v1/users/u1/metadata/k", token);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().getJsonObject("metadata").getString("value")).isEqualTo("aGk=");
  }

  @Test
  void readiness_isUp() {
    assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(200);
  }
}
