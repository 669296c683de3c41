package dev.metagate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamOptionsTest {
  @ParameterizedTest
  @CsvSource({
    "http://zitadel:8080, ''",
    "http://zitadel:8080/, ''",
    "https://example.com/zitadel, /zitadel",
    "https://example.com/zitadel/, /zitadel",
    "https://example.com/a/zitadel//, /a/zitadel",
    "https://example.com/a%20b/, /a%20b"
  })
  void basePath_isTheUrlsRawPathWithoutTrailingSlashes(String url, String base) {
    UpstreamOptions o =
        new UpstreamOptions(URI.create(url), Duration.ofSeconds(1), 0, 1, 1, Duration.ofSeconds(1));
    assertThat(o.basePath()).isEqualTo(base);
  }
}
