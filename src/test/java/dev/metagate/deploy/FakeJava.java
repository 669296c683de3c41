package dev.metagate.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java} on the PATH that records its arguments (one per line) and its process id instead
 * of starting a JVM, to check what a launch script passes to java and that it {@code exec}s it.
 */
final class FakeJava {
  private final Path bin;
  private final Path argsFile;
  private final Path pidFile;

  private FakeJava(Path bin) {
    this.bin = bin;
    this.argsFile = bin.resolve("java.args");
    this.pidFile = bin.resolve("java.pid");
  }

  static FakeJava install(Path dir) throws IOException {
    FakeJava fake = new FakeJava(Files.createDirectories(dir));
    fake.script(
        "java",
        "echo $$ > '" + fake.pidFile + "'\nprintf '%s\\n' \"$@\" > '" + fake.argsFile + "'\n");
    return fake;
  }

  /** Adds another fake program on the same PATH entry, e.g. a {@code mvn} that must not run. */
  void script(String name, String body) throws IOException {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * Runs {@code command} in {@code dir} with this fake first on the PATH and {@code env} added to a
   * copy of this process's environment ({@code null} values remove a variable). Returns the
   * process, ended.
   */
  Process run(List<String> command, Path dir, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.redirectErrorStream(true).redirectOutput(bin.resolve("run.log").toFile());
    Map<String, String> e = pb.environment();
    e.put("PATH", bin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
    env.forEach((k, v) -> e.compute(k, (key, old) -> v));
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not end:\n" + output());
    }
    return p;
  }

  /** What the script printed (stdout and stderr). */
  String output() throws IOException {
    Path log = bin.resolve("run.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The arguments java got, in order; fails when java was never started. */
  List<String> args() throws IOException {
    if (!Files.exists(argsFile)) {
      throw new AssertionError("java was not started; output:\n" + output());
    }
    return Files.readAllLines(argsFile);
  }

  /** The process id java ran as. */
  long pid() throws IOException {
    return Long.parseLong(Files.readString(pidFile).strip());
  }
}
