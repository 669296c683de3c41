package dev.metagate.config;

import dev.metagate.config.Sections.Admin;
import dev.metagate.config.Sections.Auth;
import dev.metagate.config.Sections.Batch;
import dev.metagate.config.Sections.Cache;
import dev.metagate.config.Sections.Http;
import dev.metagate.config.Sections.Introspection;
import dev.metagate.config.Sections.Log;
import dev.metagate.config.Sections.Shutdown;
import dev.metagate.config.Sections.Store;
import dev.metagate.config.Sections.Upstream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the YAML file, applies {@code METAGATE_*} environment overrides and builds the validated
 * {@link MetagateConfig}. Precedence: environment over file over defaults.
 */
public final class ConfigLoader {
  /** Variables that are not configuration keys but are still ours. */
  private static final List<String> NON_KEY_VARIABLES = List.of("METAGATE_CONFIG");

  private final List<String> warnings = new ArrayList<>();

  /** Warnings found while loading, such as unknown {@code METAGATE_*} variables. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Loads {@code file} (which may be null: defaults only) with {@code env} overrides. */
  public MetagateConfig load(Path file, Map<String, String> env) {
    Map<String, Object> raw = new LinkedHashMap<>();
    Settings.ALL.forEach(s -> raw.put(s.path(), s.defaultValue()));
    if (file != null) {
      flatten("", readYaml(file), raw);
    }
    applyEnv(env, raw);
    return build(new Values(raw), raw);
  }

  private static Map<?, ?> readYaml(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object doc = new Load(LoadSettings.builder().build()).loadFromReader(r);
      if (doc == null) {
        return Map.of();
      }
      if (!(doc instanceof Map<?, ?> m)) {
        throw new ConfigException("invalid configuration: " + file + " must be a YAML mapping");
      }
      return m;
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new ConfigException(
          "invalid configuration: "
              + file
              + " is not valid YAML: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String path = prefix + e.getKey();
      if (Settings.BY_PATH.containsKey(path)) {
        out.put(path, e.getValue());
      } else if (e.getValue() instanceof Map<?, ?> child && isSectionPrefix(path + ".")) {
        flatten(path + ".", child, out);
      } else {
        throw new ConfigException("invalid configuration: unknown key '" + path + "'");
      }
    }
  }

  private static boolean isSectionPrefix(String prefix) {
    return Settings.ALL.stream().anyMatch(s -> s.path().startsWith(prefix));
  }

  private void applyEnv(Map<String, String> env, Map<String, Object> raw) {
    Map<String, Setting> byEnv = new TreeMap<>();
    Settings.ALL.forEach(s -> byEnv.put(s.envName(), s));
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith("METAGATE_") || NON_KEY_VARIABLES.contains(e.getKey())) {
        continue;
      }
      Setting s = byEnv.get(e.getKey());
      if (s == null) {
        warnings.add(
            "unknown environment variable " + e.getKey() + " ignored (not a configuration key)");
      } else {
        raw.put(s.path(), e.getValue());
      }
    }
  }

  private static MetagateConfig build(Values v, Map<String, Object> raw) {
    Http http =
        new Http(
            hostOf(v, "http.host"),
            v.integer("http.port", 0, 65535),
            v.size("http.maxBodySize", 1024),
            v.integer("http.maxInFlight", 1, 10_000_000),
            v.duration("http.idleTimeout", Duration.ofSeconds(1)),
            v.string("http.tls.certPath"),
            v.string("http.tls.keyPath"));
    Admin admin = new Admin(hostOf(v, "admin.host"), v.integer("admin.port", 0, 65535));
    Auth auth =
        new Auth(
            v.string("auth.issuer"),
            v.string("auth.jwksUrl"),
            v.list("auth.audience"),
            v.duration("auth.clockSkew", Duration.ZERO),
            new Introspection(
                v.string("auth.introspection.url"),
                v.string("auth.introspection.clientId"),
                v.string("auth.introspection.clientSecret"),
                v.duration("auth.introspection.cacheTtl", Duration.ZERO)),
            v.list("auth.writeRoles"),
            v.list("auth.readRoles"),
            v.list("auth.instanceRoles"),
            v.bool("auth.selfService"),
            v.bool("auth.devIssuer"),
            v.bool("auth.devIssuerAnyHost"));
    Store store =
        new Store(
            v.choice("store.type"),
            requireString(v, "store.path"),
            v.string("store.url"),
            v.integer("store.maxConnections", 1, 1_000),
            v.duration("store.statementTimeout", Duration.ofMillis(1)));
    Cache cache =
        new Cache(
            v.size("cache.maxBytes", 0),
            v.duration("cache.ttl", Duration.ZERO),
            v.duration("cache.permissionTtl", Duration.ZERO));
    Batch batch =
        new Batch(
            v.integer("batch.maxSize", 1, 1_000_000),
            v.duration("batch.maxDelay", Duration.ZERO),
            v.integer("batch.maxQueue", 1, 100_000_000));
    Upstream upstream =
        new Upstream(
            v.string("upstream.url"),
            v.choice("upstream.credentials"),
            v.string("upstream.token"),
            v.string("upstream.keyFile"),
            v.duration("upstream.timeout", Duration.ofMillis(1)),
            v.integer("upstream.retries", 0, 10),
            v.integer("upstream.maxConnections", 1, 10_000),
            v.integer("upstream.circuit.failures", 1, 1_000_000),
            v.duration("upstream.circuit.openFor", Duration.ofMillis(1)),
            v.bool("upstream.events.enabled"),
            v.duration("upstream.events.interval", Duration.ofMillis(100)));
    Shutdown shutdown = new Shutdown(v.duration("shutdown.timeout", Duration.ZERO));
    Log log = new Log(v.choice("log.format"), v.choice("log.level"), v.bool("log.access"));
    return new MetagateConfig(
        v.choice("mode"),
        http,
        admin,
        auth,
        store,
        cache,
        batch,
        upstream,
        shutdown,
        log,
        effective(raw));
  }

  private static String hostOf(Values v, String path) {
    return requireString(v, path);
  }

  private static String requireString(Values v, String path) {
    String s = v.string(path);
    if (s == null) {
      throw Values.bad(path, "", "a non-empty string");
    }
    return s;
  }

  /** Every key with its effective value as text, secrets masked. */
  private static Map<String, String> effective(Map<String, Object> raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Setting s : Settings.ALL) {
      Object value = raw.get(s.path());
      String text = value == null ? "" : value.toString();
      out.put(s.path(), s.secret() && !text.isEmpty() ? "***" : text);
    }
    return out;
  }
}
