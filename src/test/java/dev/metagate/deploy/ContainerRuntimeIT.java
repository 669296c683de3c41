package dev.metagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.ChildGateway;
import dev.metagate.testing.Http;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's runtime emulated without a container engine, with the sidecar pod's configuration: a
 * temp directory stands in for {@code /app} (every {@code /app} in the Dockerfile and the manifest
 * is rewritten to it), the final stage's CDS recording runs against the built jar, then the
 * ENTRYPOINT runs as written ({@code sh -c}, the image's ENV overlaid by the pod's env, the
 * ConfigMap as the config file) until the HEALTHCHECK command reports healthy, and SIGTERM stops
 * it. What differs from the pod: ports are 0 (the HEALTHCHECK's port is replaced by the one
 * printed), the issuer is an in-process one, and nothing stops writes outside the data volume: the
 * test checks that there were none.
 */
class ContainerRuntimeIT {
  private static final Pattern ADMIN_PORT = Pattern.compile("\\(admin http://[^:]+:(\\d+)\\)");
  private static final Pattern API_PORT = Pattern.compile("listening on http://[^:]+:(\\d+)");

  @TempDir Path root;

  @Test
  void entrypoint_withThePodsConfiguration_becomesHealthy_servesWrites_andStopsOnSigterm()
      throws Exception {
    DockerfileModel image = Packaging.dockerfile();
    SidecarManifest manifest = SidecarManifest.read();
    Path app = root.resolve("app");
    String jar = image.finalPath("metagate.jar");
    Files.createDirectories(local(app, jar).getParent());
    Files.copy(ChildGateway.jar(), local(app, jar), StandardCopyOption.COPY_ATTRIBUTES);
    Path conf = Path.of(image.finalPath("metagate.yaml"));
    Packaging.configMapFile(manifest, local(app, conf.getParent().toString()));
    Files.createDirectories(app.resolve("data"));

    recordCdsArchive(image, app);
    Map<String, String> before = snapshot(app);

    try (TestIssuer issuer = TestIssuer.start()) {
      Map<String, String> env = new TreeMap<>();
      Packaging.podEnvironment(image, manifest).forEach((k, v) -> env.put(k, translate(v, app)));
      env.put("METAGATE_HTTP_PORT", "0");
      env.put("METAGATE_ADMIN_PORT", "0");
      env.put("METAGATE_AUTH_ISSUER", issuer.url());
      List<String> command = image.entrypoint().stream().map(a -> translate(a, app)).toList();
      Path log = root.resolve("metagate.log");
      long started = System.nanoTime();
      Process p = start(command, app, env, log);
      try {
        int admin = awaitPort(p, log, ADMIN_PORT);
        Duration healthy = awaitHealthy(image, admin, p, log);
        Duration verdict =
            seconds(image.healthcheckOption("interval"))
                .multipliedBy(Long.parseLong(image.healthcheckOption("retries")));
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .as("healthy after %s, before Docker would call it unhealthy", healthy)
            .isLessThan(verdict);

        Http api = new Http("http://127.0.0.1:" + awaitPort(p, log, API_PORT));
        String token =
            issuer.rs256(
                issuer
                    .claims("u-1", "o-1")
                    .put("aud", new JsonArray(List.of(audience(manifest, app)))));
        String value = Base64.getEncoder().encodeToString("in a container".getBytes());
        String key = "/management/v1/users/u-1/metadata/k";
        assertThat(api.post(key, token, new JsonObject().put("value", value).encode()).status())
            .isEqualTo(200);

        p.destroy(); // SIGTERM, as docker stop and the kubelet send it
        long grace = ((Number) manifest.podSpec().get("terminationGracePeriodSeconds")).longValue();
        assertThat(p.waitFor(grace, TimeUnit.SECONDS))
            .as("stopped within the grace period")
            .isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
      } finally {
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(log);
      assertThat(output)
          .doesNotContain("Unable to use shared archive")
          .doesNotContain("unknown environment variable")
          .doesNotContain(" ERROR ")
          .contains("metagate stopped");
    }
    assertThat(snapshot(app)).as("nothing written outside the data volume").isEqualTo(before);
    Path store = local(app, Packaging.podEnvironment(image, manifest).get("METAGATE_STORE_PATH"));
    assertThat(store).isRegularFile();
  }

  /** Runs the java command of the final stage's CDS RUN, as the image build does. */
  private static void recordCdsArchive(DockerfileModel image, Path app) throws Exception {
    String run =
        image.inFinalStage("RUN").stream()
            .map(DockerfileModel.Instruction::args)
            .filter(a -> a.contains("-XX:ArchiveClassesAtExit="))
            .findFirst()
            .orElseThrow();
    String java =
        Stream.of(run.split("&&"))
            .map(String::strip)
            .filter(s -> s.startsWith("java "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no java command in " + run));
    Path log = app.getParent().resolve("cds.log");
    Process p = start(List.of("sh", "-c", translate(java, app)), app, Map.of(), log);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("CDS recording ended").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  private static Process start(List<String> command, Path dir, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("METAGATE_") || k.equals("JAVA_OPTS"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    e.put("PATH", javaBin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
    e.putAll(env);
    return pb.start();
  }

  /** Runs the HEALTHCHECK command (its port replaced) until it exits 0. */
  private static Duration awaitHealthy(DockerfileModel image, int adminPort, Process p, Path log)
      throws Exception {
    int port = image.healthcheckUrl().getPort();
    String check = image.healthcheckCommand().replace(":" + port + "/", ":" + adminPort + "/");
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive()) {
      Process c = new ProcessBuilder("sh", "-c", check).redirectErrorStream(true).start();
      c.getInputStream().transferTo(OutputStream.nullOutputStream());
      if (c.waitFor(10, TimeUnit.SECONDS) && c.exitValue() == 0) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      c.destroyForcibly();
      Thread.sleep(200);
    }
    throw new AssertionError("never healthy (" + check + "):\n" + Files.readString(log));
  }

  private static int awaitPort(Process p, Path log, Pattern pattern) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive()) {
      Matcher m = pattern.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("metagate did not start:\n" + Files.readString(log));
  }

  /** The ConfigMap's audience, through metagate's loader. */
  private static String audience(SidecarManifest manifest, Path app) throws IOException {
    Path dir = Files.createTempDirectory(app.getParent(), "conf");
    Map<String, String> env = Map.of("METAGATE_AUTH_ISSUER", "https://issuer.invalid");
    return Packaging.load(Packaging.configMapFile(manifest, dir), env).auth().audience().get(0);
  }

  /** Every file under {@code app} outside data/, with its size and modification time. */
  private static Map<String, String> snapshot(Path app) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(app)) {
      for (Path f : s.filter(f -> !f.startsWith(app.resolve("data"))).toList()) {
        files.put(
            app.relativize(f).toString(),
            Files.isDirectory(f) ? "dir" : Files.size(f) + " " + Files.getLastModifiedTime(f));
      }
    }
    return files;
  }

  /** A path of the image ({@code /app/...}) in the directory standing in for {@code /app}. */
  private static Path local(Path app, String imagePath) {
    return Path.of(translate(imagePath, app));
  }

  private static String translate(String text, Path app) {
    return text.replaceAll("(?<![\\w.])/app(?=/|\\b)", Matcher.quoteReplacement(app.toString()));
  }

  private static Duration seconds(String docker) {
    if (docker == null || !docker.endsWith("s")) {
      throw new AssertionError("HEALTHCHECK option not in seconds: " + docker);
    }
    return Duration.ofSeconds(Long.parseLong(docker.substring(0, docker.length() - 1)));
  }
}
