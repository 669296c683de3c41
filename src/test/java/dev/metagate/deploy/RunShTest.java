package dev.metagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run.sh} hands {@code JAVA_OPTS} to java, and defaults to the image's heap settings. It
 * runs on a copy of the script in a temp project whose jar and archive are up to date, with a fake
 * {@code java} that records its arguments and a {@code mvn} that fails if a build is attempted.
 */
class RunShTest {
  @TempDir Path project;
  FakeJava java;

  @BeforeEach
  void project() throws IOException {
    Files.copy(Path.of("run.sh"), project.resolve("run.sh"), StandardCopyOption.COPY_ATTRIBUTES);
    Instant now = Instant.now();
    touch(project.resolve("pom.xml"), now.minusSeconds(300));
    touch(Files.createDirectories(project.resolve("src")), now.minusSeconds(300));
    touch(project.resolve("target/metagate.jar"), now.minusSeconds(200));
    touch(project.resolve("target/metagate.jsa"), now.minusSeconds(100));
    java = FakeJava.install(project.resolve("bin"));
    java.script("mvn", "echo 'run.sh tried to build' >&2\nexit 1\n");
  }

  @Test
  void javaOpts_reachJavaAsSeparateOptionsBeforeTheJar_andArgumentsPassThrough() throws Exception {
    Process p = runSh(Map.of("JAVA_OPTS", "-Xmx123m -Dmetagate.t=a"), "token", "--sub", "u 1");

    assertThat(p.exitValue()).as(java.output()).isZero();
    assertThat(java.pid()).as("exec'd: a stop signal reaches java").isEqualTo(p.pid());
    List<String> args = java.args();
    int jar = args.indexOf("-jar");
    assertThat(args.subList(0, jar))
        .containsSubsequence("-Xmx123m", "-Dmetagate.t=a")
        .contains("-XX:SharedArchiveFile=target/metagate.jsa")
        .noneMatch(a -> a.startsWith("-Xms"));
    assertThat(args.subList(jar + 1, args.size()))
        .containsExactly(
            "target/metagate.jar", "token", "--sub", "u 1", "--config", "conf/metagate.yaml");
  }

  @Test
  void withoutJavaOpts_theHeapSettingsAreTheImages() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", null);
    runSh(env);
    List<String> args = java.args();
    String imageDefault = Packaging.dockerfile().env().get("JAVA_OPTS");
    assertThat(args.subList(0, args.indexOf("-jar")))
        .containsSubsequence(Arrays.asList(imageDefault.split("\\s+")));
  }

  private Process runSh(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "run.sh"));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.put("METAGATE_CONFIG", null);
    return java.run(command, project, all);
  }

  private static void touch(Path file, Instant time) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.createFile(file);
    }
    Files.setLastModifiedTime(file, FileTime.from(time));
  }
}
