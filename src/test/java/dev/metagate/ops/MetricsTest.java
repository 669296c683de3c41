package dev.metagate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Invariants.class)
class MetricsTest {
  private static final String USER = "metrics-user-4711";
  private static final String PATH = "/management/v1/users/" + USER + "/metadata/";

  @Test
  void scrape_afterTraffic_hasEveryLocalModeMetric_withMovingCounts_andBoundedLabels() {
    try (TestIssuer issuer = TestIssuer.start();
        TestGateway gw = TestGateway.start(issuer)) {
      String token = issuer.token(USER, "org-m", "ORG_OWNER");
      String before = scrape(gw);
      assertThat(gw.http().post(PATH + "secret-key-name", token, "{\"value\":\"eA==\"}").status())
          .isEqualTo(200);
      gw.http().get(PATH + "secret-key-name", token);
      gw.http().get(PATH + "secret-key-name", token);
      gw.http().get(PATH + "missing", token);
      gw.http().post(PATH + "_bulk", token, "{\"metadata\":[]}");
      String after = scrape(gw);

      assertThat(after)
          .contains("# TYPE metagate_requests_total counter")
          .contains("# TYPE metagate_request_duration_seconds histogram")
          .contains("# TYPE metagate_cache_requests_total counter")
          .contains("# TYPE metagate_cache_evictions_total counter")
          .contains("# TYPE metagate_cache_bytes gauge")
          .contains("# TYPE metagate_commit_batch_entries histogram")
          .contains("# TYPE metagate_commit_duration_seconds histogram")
          .contains("# TYPE metagate_write_queue_entries gauge")
          .contains("jvm_memory_used_bytes")
          .contains("vertx_");
      assertThat(
              value(
                  after,
                  "metagate_requests_total",
                  "code=\"0\",operation=\"SetUserMetadata\",protocol=\"rest\""))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "metagate_requests_total",
                  "code=\"0\",operation=\"GetUserMetadata\",protocol=\"rest\""))
          .isEqualTo(2);
      assertThat(
              value(
                  after,
                  "metagate_requests_total",
                  "code=\"5\",operation=\"GetUserMetadata\",protocol=\"rest\""))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "metagate_requests_total",
                  "code=\"9\",operation=\"BulkSetUserMetadata\",protocol=\"rest\""))
          .isEqualTo(1);
      assertThat(value(after, "metagate_cache_requests_total", "result=\"hit\""))
          .isGreaterThan(value(before, "metagate_cache_requests_total", "result=\"hit\""));
      assertThat(value(after, "metagate_commit_batch_entries_count", ""))
          .isGreaterThan(value(before, "metagate_commit_batch_entries_count", ""));
      assertThat(value(after, "metagate_cache_bytes", "")).isPositive();
      assertThat(after).doesNotContain(USER).doesNotContain("secret-key-name");
    }
  }

  private static String scrape(TestGateway gw) {
    var r = gw.admin().get("/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/plain");
    return r.body();
  }

  /** The sample of {@code name} whose labels are exactly {@code labels} ("" for none), or 0. */
  private static double value(String scrape, String name, String labels) {
    String series = labels.isEmpty() ? name : name + "{" + labels + "}";
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
