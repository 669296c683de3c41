package dev.metagate.config;

import static dev.metagate.config.Setting.Kind.BOOL;
import static dev.metagate.config.Setting.Kind.DURATION;
import static dev.metagate.config.Setting.Kind.INT;
import static dev.metagate.config.Setting.Kind.LIST;
import static dev.metagate.config.Setting.Kind.SIZE;
import static dev.metagate.config.Setting.Kind.STRING;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key metagate knows, with its default (config.md is the contract). */
final class Settings {
  static final List<Setting> ALL =
      List.of(
          Setting.oneOf("mode", "local", "local", "upstream"),
          Setting.of("http.host", STRING, "127.0.0.1"),
          Setting.of("http.port", INT, "8080"),
          Setting.of("http.maxBodySize", SIZE, "8MiB"),
          Setting.of("http.maxInFlight", INT, "10000"),
          Setting.of("http.idleTimeout", DURATION, "60s"),
          Setting.of("http.tls.certPath", STRING, null),
          Setting.of("http.tls.keyPath", STRING, null),
          Setting.of("admin.host", STRING, "127.0.0.1"),
          Setting.of("admin.port", INT, "9090"),
          Setting.of("auth.issuer", STRING, null),
          Setting.of("auth.jwksUrl", STRING, null),
          Setting.of("auth.audience", LIST, ""),
          Setting.of("auth.clockSkew", DURATION, "30s"),
          Setting.of("auth.introspection.url", STRING, null),
          Setting.of("auth.introspection.clientId", STRING, null),
          Setting.secret("auth.introspection.clientSecret"),
          Setting.of("auth.introspection.cacheTtl", DURATION, "60s"),
          Setting.of("auth.writeRoles", LIST, "ORG_OWNER,ORG_USER_MANAGER"),
          Setting.of(
              "auth.readRoles",
              LIST,
              "ORG_OWNER,ORG_USER_MANAGER,ORG_OWNER_VIEWER,ORG_USER_PERMISSION_EDITOR"),
          Setting.of("auth.instanceRoles", LIST, "IAM_OWNER"),
          Setting.of("auth.selfService", BOOL, "true"),
          Setting.of("auth.devIssuer", BOOL, "false"),
          Setting.of("auth.devIssuerAnyHost", BOOL, "false"),
          Setting.oneOf("store.type", "sqlite", "sqlite", "postgres"),
          Setting.of("store.path", STRING, "data/metagate.db"),
          Setting.secret("store.url"),
          Setting.of("store.maxConnections", INT, "8"),
          Setting.of("store.statementTimeout", DURATION, "5s"),
          Setting.of("cache.maxBytes", SIZE, "256MiB"),
          Setting.of("cache.ttl", DURATION, "10s"),
          Setting.of("cache.permissionTtl", DURATION, "30s"),
          Setting.of("batch.maxSize", INT, "1000"),
          Setting.of("batch.maxDelay", DURATION, "1ms"),
          Setting.of("batch.maxQueue", INT, "100000"),
          Setting.of("upstream.url", STRING, null),
          Setting.oneOf("upstream.credentials", "passthrough", "passthrough", "token"),
          Setting.secret("upstream.token"),
          Setting.of("upstream.keyFile", STRING, null),
          Setting.of("upstream.timeout", DURATION, "5s"),
          Setting.of("upstream.retries", INT, "2"),
          Setting.of("upstream.maxConnections", INT, "64"),
          Setting.of("upstream.circuit.failures", INT, "10"),
          Setting.of("upstream.circuit.openFor", DURATION, "5s"),
          Setting.of("upstream.events.enabled", BOOL, "false"),
          Setting.of("upstream.events.interval", DURATION, "2s"),
          Setting.of("shutdown.timeout", DURATION, "10s"),
          Setting.oneOf("log.format", "text", "text", "json"),
          Setting.oneOf("log.level", "info", "trace", "debug", "info", "warn", "error"),
          Setting.of("log.access", BOOL, "false"));

  static final Map<String, Setting> BY_PATH = index();

  private Settings() {}

  private static Map<String, Setting> index() {
    Map<String, Setting> m = new LinkedHashMap<>();
    ALL.forEach(s -> m.put(s.path(), s));
    return m;
  }
}
