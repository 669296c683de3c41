package dev.metagate.app;

import dev.metagate.auth.DevIssuer;
import dev.metagate.config.ConfigException;
import dev.metagate.config.ConfigLoader;
import dev.metagate.config.MetagateConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: run, {@code token}, {@code check-config}, {@code --help}, {@code --version}.
 */
final class Cli {
  static final int OK = 0;
  static final int USAGE = 2;

  /** Returned by {@link #run} when the gateway was started and keeps running. */
  static final int RUNNING = -1;

  static final Path DEFAULT_CONFIG = Path.of("conf/metagate.yaml");

  private static final String HELP =
      """
      metagate: a small, fast gateway for ZITADEL user metadata

      usage:
        metagate [--config PATH]            run the gateway
        metagate check-config [--config PATH]
                                            validate and print the effective configuration
        metagate token [--sub U] [--org O] [--roles R,...] [--ttl 12h] [--config PATH]
                                            print a dev-issuer token (local development only)
        metagate self-test                  start a throw-away instance, call every endpoint once
        metagate --help | --version

      The configuration file defaults to conf/metagate.yaml (or METAGATE_CONFIG); every key can
      be overridden with METAGATE_<KEY> environment variables, e.g. METAGATE_HTTP_PORT=8081.
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    String command = !rest.isEmpty() && !rest.get(0).startsWith("-") ? rest.remove(0) : "run";
    try {
      Map<String, String> opts = options(rest);
      if (opts.containsKey("help")) {
        out.print(HELP);
        return OK;
      }
      if (opts.containsKey("version")) {
        out.println("metagate " + version());
        return OK;
      }
      return switch (command) {
        case "run" -> startGateway(load(opts));
        case "check-config" -> checkConfig(load(opts));
        case "self-test" -> SelfTest.run(out, err);
        case "token" -> token(load(opts), opts);
        default -> throw new ConfigException("unknown command '" + command + "' (try --help)");
      };
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return USAGE;
    }
  }

  private MetagateConfig load(Map<String, String> opts) {
    Path file = configPath(opts);
    ConfigLoader loader = new ConfigLoader();
    MetagateConfig config = loader.load(file, env);
    loader.warnings().forEach(w -> err.println("warning: " + w));
    return config;
  }

  private Path configPath(Map<String, String> opts) {
    if (opts.containsKey("config")) {
      return existing(Path.of(opts.get("config")));
    }
    if (env.get("METAGATE_CONFIG") != null) {
      return existing(Path.of(env.get("METAGATE_CONFIG")));
    }
    return Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
  }

  private static Path existing(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new ConfigException("configuration file " + p + " does not exist");
    }
    return p;
  }

  private int checkConfig(MetagateConfig config) {
    config.effective().forEach((k, v) -> out.println(k + ": " + v));
    out.println("configuration OK");
    return OK;
  }

  private int token(MetagateConfig config, Map<String, String> opts) {
    if (!config.auth().devIssuer()) {
      throw new ConfigException(
          "the token command needs auth.devIssuer = true (it signs with the dev issuer's key)");
    }
    String sub = opts.getOrDefault("sub", "dev-user");
    String org = opts.getOrDefault("org", "dev-org");
    List<String> roles =
        Arrays.stream(opts.getOrDefault("roles", "ORG_OWNER").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    Duration ttl = parseTtl(opts.getOrDefault("ttl", "12h"));
    DevIssuer issuer;
    try {
      issuer = DevIssuer.loadOrCreate(Gateway.dataDir(config));
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    try {
      out.println(issuer.issue(vertx, config.auth().effectiveIssuer(), sub, org, roles, ttl));
    } finally {
      vertx.close();
    }
    return OK;
  }

  private static Duration parseTtl(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(s|m|h|d)").matcher(s);
    if (!m.matches()) {
      throw new ConfigException(
          "invalid --ttl '" + s + "': expected a duration such as 30m or 12h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private int startGateway(MetagateConfig config) {
    return Launcher.launch(config, out, err) ? RUNNING : 1;
  }

  /** {@code --name value} pairs; {@code --help}/{@code --version} are flags. */
  private static Map<String, String> options(List<String> args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--help") || a.equals("-h")) {
        out.put("help", "");
      } else if (a.equals("--version")) {
        out.put("version", "");
      } else if (a.startsWith("--") && a.contains("=")) {
        out.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else if (a.startsWith("--") && i + 1 < args.size()) {
        out.put(a.substring(2), args.get(++i));
      } else {
        throw new ConfigException("unexpected argument '" + a + "' (try --help)");
      }
    }
    return out;
  }

  static String version() {
    String v = Cli.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
