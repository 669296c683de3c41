package dev.metagate.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Node project in {@code src/test/interop}: installs its locked dependencies when they are
 * missing or older than {@code package-lock.json} ({@code npm ci}), and runs its scripts. Needs
 * Node 20+ and npm on the PATH, and the npm registry for the first install.
 */
final class Node {
  static final Path PROJECT = Path.of("src", "test", "interop").toAbsolutePath();
  private static final long INSTALL_TIMEOUT_S = 300;

  /** What a script printed (stdout and stderr, interleaved) and how it exited. */
  record Run(int exitCode, String output) {}

  private Node() {}

  /** Runs {@code npm ci} unless node_modules matches the lockfile already. */
  static synchronized void install() {
    Path lock = PROJECT.resolve("package-lock.json");
    Path installed = PROJECT.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed) && modified(installed).compareTo(modified(lock)) >= 0) {
      return;
    }
    Run run =
        exec(
            List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"),
            Map.of(),
            INSTALL_TIMEOUT_S);
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "npm ci in " + PROJECT + " failed (exit " + run.exitCode() + "):\n" + run.output());
    }
  }

  /** Runs {@code node <script> args...} in the project with {@code env} added. */
  static Run script(String script, List<String> args, Map<String, String> env, long timeoutS) {
    List<String> cmd = new ArrayList<>(List.of("node", script));
    cmd.addAll(args);
    return exec(cmd, env, timeoutS);
  }

  private static Run exec(List<String> cmd, Map<String, String> env, long timeoutS) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(PROJECT.toFile());
    pb.environment().putAll(env);
    try {
      Path out = Files.createTempFile("metagate-node-", ".log");
      try {
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
          return new Run(-1, read(out) + "\n(" + cmd + " timed out after " + timeoutS + " s)");
        }
        return new Run(p.exitValue(), read(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + cmd + ": the interop tests need Node 20+ and npm on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
