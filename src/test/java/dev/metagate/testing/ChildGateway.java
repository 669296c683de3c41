package dev.metagate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fat jar run as a child process, the way an operator runs it, for the tests that need a real
 * process to kill ({@code kill -9}) or stop ({@code SIGTERM}). Configured through the environment
 * like {@link TestGateway}: loopback, free ports, the database and the dev issuer's key in one
 * directory that a restart reuses. Output goes to a log file in that directory.
 */
public final class ChildGateway implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("metagate listening on http://[^:]+:(\\d+) \\(admin http://[^:]+:(\\d+)\\)");
  private static final long START_TIMEOUT_MS = 60_000;
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Process process;
  private final Path log;
  private final int apiPort;
  private final int adminPort;

  private ChildGateway(Process process, Path log, int apiPort, int adminPort) {
    this.process = process;
    this.log = log;
    this.apiPort = apiPort;
    this.adminPort = adminPort;
  }

  /** The fat jar under test; {@code mvn verify} builds it before the {@code *IT} tests run. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("metagate.jar", "target/metagate.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: run the *IT tests through 'mvn verify'");
    }
    return jar.toAbsolutePath();
  }

  /** Starts metagate on {@code dir} and waits until it prints where it listens. */
  public static ChildGateway start(Path dir, Map<String, String> overrides) {
    Path log = dir.resolve("gateway-" + RUNS.incrementAndGet() + ".log");
    ProcessBuilder pb = command(dir, overrides, List.of());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + pb.command(), e);
    }
    int[] ports = awaitListening(p, log);
    return new ChildGateway(p, log, ports[0], ports[1]);
  }

  /** A dev-issuer token from the jar's {@code token} command, signed with {@code dir}'s key. */
  public static String token(Path dir, String sub, String org) {
    Path out = dir.resolve("token-" + RUNS.incrementAndGet() + ".txt");
    ProcessBuilder pb = command(dir, Map.of(), List.of("token", "--sub", sub, "--org", org));
    pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      if (!p.waitFor(START_TIMEOUT_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("token command failed: " + read(out));
      }
      return read(out).strip();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ProcessBuilder command(
      Path dir, Map<String, String> overrides, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-jar", jar().toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("METAGATE_"));
    env.put("METAGATE_HTTP_PORT", "0");
    env.put("METAGATE_ADMIN_PORT", "0");
    env.put("METAGATE_STORE_PATH", dir.resolve("metagate.db").toString());
    env.put("METAGATE_AUTH_DEV_ISSUER", "true");
    env.putAll(overrides);
    return pb;
  }

  private static int[] awaitListening(Process p, Path log) {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      Matcher m = LISTENING.matcher(read(log));
      if (m.find()) {
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("metagate exited at start:\n" + read(log));
      }
      pause(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("metagate did not start in time:\n" + read(log));
  }

  public Http http() {
    return new Http("http://127.0.0.1:" + apiPort);
  }

  public Http admin() {
    return new Http("http://127.0.0.1:" + adminPort);
  }

  public int apiPort() {
    return apiPort;
  }

  /** {@code kill -9}: the process gets no chance to do anything. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** Sends SIGTERM and returns at once. */
  public void sigterm() {
    process.destroy();
  }

  /** Waits for the process to end and returns its exit code. */
  public int awaitExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("metagate did not exit:\n" + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the process printed so far. */
  public String log() {
    return read(log);
  }

  /** The ERROR lines of the log: like {@link Invariants} in-process, none is expected. */
  public List<String> errorLines() {
    return log().lines().filter(l -> l.contains(" ERROR ")).toList();
  }

  /** Kills the process if a test left it running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
