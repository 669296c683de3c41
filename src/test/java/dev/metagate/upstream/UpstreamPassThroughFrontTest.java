package dev.metagate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Invariants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pass-through requests skip the router, but not what it gives every request: they hold an
 * in-flight slot until they are answered, and are counted and timed in metagate_requests_total.
 */
@ExtendWith(Invariants.class)
class UpstreamPassThroughFrontTest {
  @RegisterExtension
  static final Sidecar up = Sidecar.with(Map.of("METAGATE_HTTP_MAX_IN_FLIGHT", "1"));

  @Test
  void aPassThroughInFlight_holdsTheOnlySlot_untilItIsAnswered() throws Exception {
    up.fake.fault(FakeZitadel.ORGS_ME, Fault.latency(600));
    HttpClient http = HttpClient.newHttpClient();
    URI orgsMe =
        URI.create("http://127.0.0.1:" + up.gw.gateway().apiPort() + "/management/v1/orgs/me");
    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            HttpRequest.newBuilder(orgsMe).header("authorization", "Bearer " + up.owner).build(),
            HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (up.fake.calls(FakeZitadel.ORGS_ME) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    var refused = up.gw.http().call("GET", "/management/v1/orgs/me").token(up.owner).send();
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().getInteger("code")).isEqualTo(14);
    assertThat(slow.get().statusCode()).isEqualTo(200);

    up.fake.heal();
    // the slot is released when the server has finished the response, which may be a moment
    // after the caller has read it
    var after = up.gw.http().call("GET", "/management/v1/orgs/me").token(up.owner).send();
    for (int i = 0; i < 20 && after.status() == 503; i++) {
      Thread.sleep(50);
      after = up.gw.http().call("GET", "/management/v1/orgs/me").token(up.owner).send();
    }
    assertThat(after.status()).as("slot released: " + after.body()).isEqualTo(200);
    assertThat(after.header("x-request-id")).isNotBlank();
    assertThat(up.gw.admin().get("/metrics", null).body())
        .containsPattern(
            "metagate_requests_total\\{code=\"0\",operation=\"other\",protocol=\"rest\"\\} [1-9]");
  }
}
