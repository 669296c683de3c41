package dev.metagate.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How metagate reaches ZITADEL: its base URL (https verifies the certificate; http is allowed for a
 * local ZITADEL), the deadline of one call including its retries, how often reads and connect
 * failures are retried, the connection bound and the circuit breaker's thresholds.
 */
public record UpstreamOptions(
    URI url,
    Duration timeout,
    int retries,
    int maxConnections,
    int circuitFailures,
    Duration circuitOpenFor) {
  public UpstreamOptions {
    Objects.requireNonNull(url);
    if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
      throw new IllegalArgumentException("upstream url must be http or https: " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("upstream url has no host: " + url);
    }
  }

  public boolean tls() {
    return "https".equals(url.getScheme());
  }

  public String host() {
    return url.getHost();
  }

  public int port() {
    return url.getPort() > 0 ? url.getPort() : tls() ? 443 : 80;
  }

  /** The path ZITADEL is mounted at, without a trailing slash ("" for the root). */
  public String basePath() {
    String p = url.getRawPath(); // called per request: no regular expression
    if (p == null) {
      return "";
    }
    int end = p.length();
    while (end > 0 && p.charAt(end - 1) == '/') {
      end--;
    }
    return end == p.length() ? p : p.substring(0, end);
  }
}
