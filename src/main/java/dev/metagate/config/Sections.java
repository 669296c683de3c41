package dev.metagate.config;

import java.time.Duration;
import java.util.List;

/** Holder of the per-section config records; each is immutable and checked when built. */
public final class Sections {
  private Sections() {}

  /** The API listener. */
  public record Http(
      String host,
      int port,
      long maxBodySize,
      int maxInFlight,
      Duration idleTimeout,
      String tlsCertPath,
      String tlsKeyPath) {
    public Http {
      if ((tlsCertPath == null) != (tlsKeyPath == null)) {
        throw new ConfigException(
            "invalid configuration: http.tls.certPath and http.tls.keyPath must be set together");
      }
    }

    public boolean tls() {
      return tlsCertPath != null;
    }
  }

  /** The admin listener: health, metrics, dev JWKS. */
  public record Admin(String host, int port) {}

  /** Opaque-token introspection. */
  public record Introspection(
      String url, String clientId, String clientSecret, Duration cacheTtl) {}

  /** Token verification and the permission model. */
  public record Auth(
      String issuer,
      String jwksUrl,
      List<String> audience,
      Duration clockSkew,
      Introspection introspection,
      List<String> writeRoles,
      List<String> readRoles,
      List<String> instanceRoles,
      boolean selfService,
      boolean devIssuer,
      boolean devIssuerAnyHost) {
    /** The issuer a dev-issuer token carries when {@code auth.issuer} is not set. */
    public static final String DEV_ISSUER = "metagate-dev-issuer";

    /** The issuer tokens must carry. */
    public String effectiveIssuer() {
      return issuer != null ? issuer : DEV_ISSUER;
    }

    /** Where the JWKS lives, or null when only the dev issuer's key is trusted. */
    public String effectiveJwksUrl() {
      if (jwksUrl != null) {
        return jwksUrl;
      }
      return issuer == null ? null : issuer.replaceAll("/+$", "") + "/oauth/v2/keys";
    }
  }

  /**
   * The durable store: an SQLite file ({@code path}), or PostgreSQL at {@code url}
   * (postgres://user:pass@host:port/db) with a pool of {@code maxConnections} and a per-statement
   * time limit.
   */
  public record Store(
      String type, String path, String url, int maxConnections, Duration statementTimeout) {
    public Store {
      if ("postgres".equals(type) && url == null) {
        throw new ConfigException(
            "invalid configuration: store.url is required when store.type = 'postgres'");
      }
      if (url != null && !url.matches("(?i)postgres(ql)?://.*")) {
        throw new ConfigException(
            "invalid configuration: store.url must start with postgres:// or postgresql://");
      }
    }

    public boolean postgres() {
      return type.equals("postgres");
    }
  }

  /** The per-user metadata cache. */
  public record Cache(long maxBytes, Duration ttl, Duration permissionTtl) {}

  /** Group commit and write coalescing. */
  public record Batch(int maxSize, Duration maxDelay, int maxQueue) {}

  /** The real ZITADEL in upstream mode. */
  public record Upstream(
      String url,
      String credentials,
      String token,
      String keyFile,
      Duration timeout,
      int retries,
      int maxConnections,
      int circuitFailures,
      Duration circuitOpenFor,
      boolean eventsEnabled,
      Duration eventsInterval) {
    public Upstream {
      if (url != null && !url.matches("(?i)https?://[^/?#]+(/[^?#]*)?")) {
        throw new ConfigException(
            "invalid configuration: upstream.url = '"
                + url
                + "': allowed: an http:// or https:// URL with a host");
      }
    }

    /** True when metagate calls ZITADEL with its own credential and authorizes callers itself. */
    public boolean tokenCredentials() {
      return credentials.equals("token");
    }
  }

  /** Graceful shutdown. */
  public record Shutdown(Duration timeout) {}

  /** Logging. */
  public record Log(String format, String level, boolean access) {}
}
