package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The circuit breaker's transitions as a client sees them: closed → open after repeated failures
 * (immediate 503 code 14, no upstream call, readiness false) → half-open after {@code openFor} →
 * closed after a successful call (readiness true again). The breaker runs on its own timers, so the
 * test polls until the real 3 s of openFor have passed.
 */
@ExtendWith(Invariants.class)
class UpstreamCircuitTest {
  @Test
  void get_upstreamKeepsFailing_circuitOpensAnswers503AtOnce_thenRecovers() throws Exception {
    try (TestIssuer issuer = TestIssuer.start();
        FakeZitadel fake = FakeZitadel.start(issuer);
        TestGateway gw =
            Upstreams.gateway(
                fake,
                Map.of(
                    "METAGATE_UPSTREAM_RETRIES", "0",
                    "METAGATE_UPSTREAM_CIRCUIT_FAILURES", "3",
                    "METAGATE_UPSTREAM_CIRCUIT_OPEN_FOR", "3s"))) {
      String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
      assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(200);
      fake.fault("ListUserMetadata", Fault.status(502));
      for (int i = 0; i < 3; i++) {
        assertThat(gw.http().get(path("u", "k"), owner).status()).isEqualTo(502);
      }

      long t0 = System.nanoTime();
      var open = gw.http().get(path("u", "k"), owner);
      assertThat(open.status()).isEqualTo(503);
      assertThat(open.json().getInteger("code")).isEqualTo(14);
      assertThat(open.header("retry-after")).isEqualTo("3");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(300);
      assertThat(fake.calls("ListUserMetadata")).isEqualTo(3);
      assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(503);
      assertThat(gw.admin().get("/metrics", null).body())
          .contains("metagate_upstream_circuit_open 1.0")
          .contains("outcome=\"circuit_open\"");

      fake.heal();
      // the breaker's own timer ends the open state; poll instead of guessing its delay
      long deadline = System.nanoTime() + 15_000_000_000L;
      int status;
      do {
        Thread.sleep(100);
        status = gw.http().get(path("u", "k"), owner).status();
      } while (status == 503 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(404);
      assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(200);
      assertThat(gw.admin().get("/metrics", null).body())
          .contains("metagate_upstream_circuit_open 0.0");
    }
  }

  @Test
  void clientErrors_doNotOpenTheCircuit() throws Exception {
    try (TestIssuer issuer = TestIssuer.start();
        FakeZitadel fake = FakeZitadel.start(issuer);
        TestGateway gw =
            Upstreams.gateway(fake, Map.of("METAGATE_UPSTREAM_CIRCUIT_FAILURES", "2"))) {
      String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
      for (int i = 0; i < 5; i++) {
        // a user each: the cache would answer a second read of one user
        assertThat(gw.http().get(path("u-" + i, "missing"), owner).status()).isEqualTo(404);
      }
      fake.fault("ListUserMetadata", Fault.tooManyRequests("2"));
      for (int i = 0; i < 3; i++) {
        assertThat(gw.http().get(path("v-" + i, "k"), owner).status()).isEqualTo(429);
      }
      assertThat(fake.calls("ListUserMetadata")).isEqualTo(8);
      assertThat(gw.admin().get("/health/ready", null).status()).isEqualTo(200);
    }
  }
}
