package dev.metagate.app;

import dev.metagate.config.MetagateConfig;
import dev.metagate.ops.Logging;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Runs the gateway as a process: start, announce, and stop gracefully on SIGTERM or SIGINT. */
final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /** Starts metagate; returns false (after logging why) when it could not start. */
  static boolean launch(MetagateConfig config, PrintStream out, PrintStream err) {
    Logging.configure(config.log().format(), config.log().level());
    LOG.info(
        "metagate {} starting in {} mode; configuration: {}",
        Cli.version(),
        config.mode(),
        config.effective());
    Gateway gateway;
    try {
      gateway = Gateway.start(config, Clock.systemUTC()).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.error("metagate could not start: {}", cause.getMessage());
      err.println("metagate could not start: " + cause.getMessage());
      return false;
    }
    String api = "http://" + config.http().host() + ":" + gateway.apiPort();
    out.println(
        "metagate listening on "
            + api
            + " (admin http://"
            + config.admin().host()
            + ":"
            + gateway.adminPort()
            + ")");
    if (config.auth().devIssuer()) {
      out.println("dev issuer on: get a token with ./run.sh token, then");
      out.println(
          "  curl -H \"Authorization: Bearer $TOKEN\" "
              + api
              + "/management/v1/users/dev-user/metadata/_search -d '{}'");
    }
    installSignals(gateway, config);
    return true;
  }

  private static void installSignals(Gateway gateway, MetagateConfig config) {
    CountDownLatch once = new CountDownLatch(1);
    Runnable stop =
        () -> {
          if (once.getCount() == 0) {
            return;
          }
          once.countDown();
          LOG.info("shutting down: readiness off, draining requests, committing queued writes");
          long limit = config.shutdown().timeout().toMillis() + 5_000;
          int code = 0;
          try {
            gateway.stop().get(limit, TimeUnit.MILLISECONDS);
            LOG.info("metagate stopped");
          } catch (Exception e) {
            LOG.error("shutdown did not complete cleanly: {}", e.toString());
            code = 1;
          }
          System.exit(code);
        };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> new Thread(stop, "metagate-shutdown").start());
    }
  }
}
