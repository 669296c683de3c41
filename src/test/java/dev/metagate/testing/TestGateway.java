package dev.metagate.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.app.Gateway;
import dev.metagate.config.ConfigLoader;
import dev.metagate.config.MetagateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway, started in-process for a test: ports 0, a SQLite file in a temp dir, tokens
 * from a {@link TestIssuer} (its JWKS fetched over HTTP). Settings are given as the environment
 * overrides a user would set, e.g. {@code Map.of("METAGATE_BATCH_MAX_SIZE", "1")}.
 */
public final class TestGateway implements AutoCloseable {
  private final Gateway gateway;
  private final Path dir;
  private final Http http;

  private TestGateway(Gateway gateway, Path dir) {
    this.gateway = gateway;
    this.dir = dir;
    this.http = new Http("http://127.0.0.1:" + gateway.apiPort());
  }

  public static TestGateway start(TestIssuer issuer) {
    return start(issuer, Map.of());
  }

  public static TestGateway start(TestIssuer issuer, Map<String, String> overrides) {
    try {
      return start(issuer, Files.createTempDirectory("metagate-test"), overrides);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts on an existing directory, e.g. to reopen the same database file. */
  public static TestGateway start(TestIssuer issuer, Path dir, Map<String, String> overrides) {
    return start(issuer, dir, overrides, Ticker.systemTicker());
  }

  /** Starts with the upstream cache's time on {@code ticker}, e.g. a {@link FakeTicker}. */
  public static TestGateway start(TestIssuer issuer, Map<String, String> overrides, Ticker ticker) {
    try {
      return start(issuer, Files.createTempDirectory("metagate-test"), overrides, ticker);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TestGateway start(
      TestIssuer issuer, Path dir, Map<String, String> overrides, Ticker ticker) {
    Map<String, String> env = new HashMap<>(baseEnv(issuer, dir));
    env.putAll(overrides);
    MetagateConfig config = new ConfigLoader().load(null, env);
    try {
      Gateway g = Gateway.start(config, Clock.systemUTC(), ticker).get(30, TimeUnit.SECONDS);
      return new TestGateway(g, dir);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not start", e);
    }
  }

  /** The environment a test gateway runs with: loopback, free ports, the test issuer. */
  public static Map<String, String> baseEnv(TestIssuer issuer, Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("METAGATE_HTTP_PORT", "0");
    env.put("METAGATE_ADMIN_PORT", "0");
    env.put("METAGATE_STORE_PATH", dir.resolve("metagate.db").toString());
    if (issuer != null) {
      env.put("METAGATE_AUTH_ISSUER", issuer.url());
    } else {
      env.put("METAGATE_AUTH_DEV_ISSUER", "true");
    }
    return env;
  }

  public Http http() {
    return http;
  }

  /** A client for the admin port. */
  public Http admin() {
    return new Http("http://127.0.0.1:" + gateway.adminPort());
  }

  public Gateway gateway() {
    return gateway;
  }

  public Path dir() {
    return dir;
  }

  public Path databaseFile() {
    return dir.resolve("metagate.db");
  }

  /** Stops gracefully (drain, commit, close), as SIGTERM does. */
  @Override
  public void close() {
    try {
      gateway.stop().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not stop", e);
    }
  }
}
