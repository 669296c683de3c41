package dev.metagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.metagate.config.ConfigException;
import dev.metagate.config.ConfigLoader;
import dev.metagate.config.MetagateConfig;
import dev.metagate.deploy.DockerfileModel.Instruction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile, checked without a container engine (none runs on our machines): stages, user, ENV
 * against metagate's real configuration keys, ports, health check, and what the ENTRYPOINT passes
 * to java. {@code ContainerRuntimeIT} runs the ENTRYPOINT with the real jar.
 */
class DockerfileTest {
  /** Heap beyond cache.maxBytes for everything else (README "Memory"). */
  private static final long HEAP_BEYOND_CACHE_MIB = 128;

  static DockerfileModel image;

  @TempDir Path dir;

  @BeforeAll
  static void read() throws IOException {
    image = Packaging.dockerfile();
  }

  @Test
  void build_isMultiStage_andTheFinalStageRunsOnAJre() {
    List<String> images = image.stageImages();
    assertThat(images).hasSizeGreaterThanOrEqualTo(2);
    assertThat(images.get(images.size() - 1)).containsIgnoringCase("jre").doesNotContain("jdk");
    String[] from = image.all("FROM").get(0).args().split("\\s+");
    assertThat(from).as("the build stage is named").hasSize(3);
    assertThat(from[1]).isEqualToIgnoringCase("AS");
    assertThat(image.inFinalStage("COPY"))
        .as("the final stage takes the jar from the build stage")
        .anyMatch(c -> c.args().startsWith("--from=" + from[2] + " ") && c.args().contains(".jar"));
  }

  @Test
  void user_isANumericNonRootUid_thatTheImageCreates() {
    Matcher user = Pattern.compile("(\\d+)(?::(\\d+))?").matcher(image.single("USER"));
    assertThat(user.matches()).as("numeric, so that runAsNonRoot can verify it").isTrue();
    assertThat(Long.parseLong(user.group(1))).isPositive();
    String runs = runsOfFinalStage();
    assertThat(runs).containsPattern("useradd [^&]*--uid " + user.group(1) + "\\b");
    if (user.group(2) != null) {
      assertThat(Long.parseLong(user.group(2))).isPositive();
      assertThat(runs).containsPattern("groupadd [^&]*--gid " + user.group(2) + "\\b");
      assertThat(runs).containsPattern("useradd [^&]*--gid " + user.group(2) + "\\b");
    }
  }

  @Test
  void env_namesOnlyConfigurationKeys_andEachOneChangesTheConfiguration() throws IOException {
    Map<String, String> env = image.env();
    assertThat(env.keySet()).allMatch(k -> k.startsWith("METAGATE_") || k.equals("JAVA_OPTS"));
    Path conf = imageConfigFile();
    Map<String, String> withIssuer = withIssuer(env);
    MetagateConfig all = Packaging.load(conf, withIssuer); // an unknown METAGATE_* name warns
    for (String name : env.keySet()) {
      if (!name.startsWith("METAGATE_")) {
        continue;
      }
      Map<String, String> without = new HashMap<>(withIssuer);
      without.remove(name);
      Object outcome;
      try {
        outcome = new ConfigLoader().load(conf, without).effective();
      } catch (ConfigException e) {
        outcome = e.getMessage();
      }
      assertThat(outcome).as("%s has an effect", name).isNotEqualTo(all.effective());
    }
    assertThat(all.effective()).containsEntry("store.path", env.get("METAGATE_STORE_PATH"));
  }

  @Test
  void image_withoutAnIssuerFails_andTheHeaderExampleSetsOne() throws IOException {
    Path conf = imageConfigFile();
    assertThatThrownBy(() -> new ConfigLoader().load(conf, image.env()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.issuer");

    String example =
        Files.readAllLines(Packaging.DOCKERFILE).stream()
            .filter(l -> l.startsWith("#") && l.contains("docker run"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no 'docker run' example in the header"));
    Map<String, String> env = new LinkedHashMap<>(image.env());
    List<String> words = Arrays.asList(example.split("\\s+"));
    for (int i = words.indexOf("-e"); i >= 0 && i + 1 < words.size(); i = next(words, "-e", i)) {
      String[] kv = words.get(i + 1).split("=", 2);
      env.put(kv[0], kv[1]);
    }
    assertThat(Packaging.load(conf, env).auth().issuer()).isNotBlank();
  }

  @Test
  void expose_listsTheApiAndAdminPorts_onWhichTheImageListensOnAllInterfaces() throws IOException {
    MetagateConfig config = Packaging.load(imageConfigFile(), withIssuer(image.env()));
    List<Integer> exposed =
        Arrays.stream(image.single("EXPOSE").split("\\s+")).map(Integer::valueOf).toList();
    assertThat(exposed).containsExactlyInAnyOrder(config.http().port(), config.admin().port());
    assertThat(isLoopback(config.http().host())).as("http.host").isFalse();
    assertThat(isLoopback(config.admin().host())).as("admin.host").isFalse();
  }

  @Test
  void healthcheck_asksTheAdminPortForReadiness_andFailsUnlessItAnswers200() throws Exception {
    MetagateConfig config = Packaging.load(imageConfigFile(), withIssuer(image.env()));
    String command = image.healthcheckCommand();
    URI url = image.healthcheckUrl();
    assertThat(isLoopback(url.getHost())).isTrue();
    assertThat(url.getPort()).isEqualTo(config.admin().port());
    assertThat(url.getPath()).isEqualTo("/health/ready");
    String program = command.split("\\s+")[0];
    assertThat(runsOfFinalStage()).as("the image installs " + program).contains(program);

    AtomicInteger status = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        url.getPath(),
        x -> {
          x.sendResponseHeaders(status.get(), -1);
          x.close();
        });
    server.start();
    try {
      String local =
          command.replace(":" + url.getPort() + "/", ":" + server.getAddress().getPort() + "/");
      status.set(503);
      assertThat(shell(local)).as("exit code while not ready").isNotZero();
      status.set(200);
      assertThat(shell(local)).as("exit code when ready").isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void entrypoint_execsJava_withJavaOptsAsSeparateOptions_theImagesConfigAndTheArguments()
      throws Exception {
    FakeJava java = FakeJava.install(dir.resolve("bin"));
    List<String> command = new ArrayList<>(image.entrypoint());
    command.addAll(List.of("check-config", "--help"));
    Process p = java.run(command, dir, Map.of("JAVA_OPTS", "-Xms1m -Xmx2m -Dmetagate.t=a"));

    assertThat(p.exitValue()).as(java.output()).isZero();
    assertThat(java.pid()).as("exec'd: a stop signal reaches java").isEqualTo(p.pid());
    List<String> args = java.args();
    int jar = args.indexOf("-jar");
    assertThat(args.subList(0, jar)).containsSubsequence("-Xms1m", "-Xmx2m", "-Dmetagate.t=a");
    assertThat(args.get(jar + 1)).isEqualTo(image.finalPath("metagate.jar"));
    assertThat(args.subList(jar + 2, args.size()))
        .containsExactly("--config", image.finalPath("metagate.yaml"), "check-config", "--help");
  }

  @Test
  void javaOpts_default_leavesHeapForTheImagesCache() throws IOException {
    MetagateConfig config = Packaging.load(imageConfigFile(), withIssuer(image.env()));
    long cacheMib = config.cache().maxBytes() / (1024 * 1024);
    assertThat(Packaging.maxHeapMib(image.env().get("JAVA_OPTS")))
        .isGreaterThanOrEqualTo(cacheMib + HEAP_BEYOND_CACHE_MIB);
  }

  @Test
  void cdsArchive_isRecordedByTheFinalStagesJvm_forTheJarPathTheEntrypointRuns() throws Exception {
    FakeJava java = FakeJava.install(dir.resolve("bin"));
    java.run(image.entrypoint(), dir, Map.of("JAVA_OPTS", ""));
    List<String> args = java.args();
    String archive =
        args.stream()
            .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
            .map(a -> a.substring(a.indexOf('=') + 1))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no archive in " + args));
    String jar = args.get(args.indexOf("-jar") + 1);
    Instruction record =
        image.inFinalStage("RUN").stream()
            .filter(r -> r.args().contains("-XX:ArchiveClassesAtExit=" + archive + " "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no final-stage RUN records " + archive));
    assertThat(record.args()).contains("-jar " + jar + " ");
    Instruction copyJar =
        image.inFinalStage("COPY").stream()
            .filter(c -> c.args().contains("metagate.jar"))
            .findFirst()
            .orElseThrow();
    assertThat(image.position(record)).isGreaterThan(image.position(copyJar));
  }

  @Test
  void volume_isTheStoresDirectory_writableByTheImageUser() {
    String store = image.env().get("METAGATE_STORE_PATH");
    String volume = image.single("VOLUME");
    assertThat(Path.of(volume)).isEqualTo(Path.of(store).getParent());
    String uid = image.single("USER").split(":")[0];
    Matcher useradd =
        Pattern.compile("useradd [^&]*\\s(\\S+)\\s*(?:&&|$)").matcher(runsOfFinalStage());
    assertThat(useradd.find()).as("the image creates its user").isTrue();
    String owner = "(?:" + uid + "|" + useradd.group(1) + ")";
    assertThat(runsOfFinalStage())
        .containsPattern("chown [^&]*\\s" + owner + "\\S* [^&]*" + volume);
  }

  /** The repository file the image copies to the path its ENTRYPOINT passes as --config. */
  static Path imageConfigFile() {
    for (Instruction copy : image.inFinalStage("COPY")) {
      String[] words = copy.args().split("\\s+");
      if (!words[0].startsWith("--") && words[words.length - 1].endsWith("metagate.yaml")) {
        return Path.of(words[0]);
      }
    }
    throw new AssertionError("the final stage copies no metagate.yaml");
  }

  static Map<String, String> withIssuer(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>(env);
    out.put("METAGATE_AUTH_ISSUER", "https://zitadel.example.com");
    return out;
  }

  private static String runsOfFinalStage() {
    return String.join("\n", image.inFinalStage("RUN").stream().map(Instruction::args).toList());
  }

  private static int next(List<String> words, String word, int after) {
    List<String> rest = words.subList(after + 1, words.size());
    int i = rest.indexOf(word);
    return i < 0 ? -1 : after + 1 + i;
  }

  private int shell(String command) throws IOException, InterruptedException {
    FakeJava none = FakeJava.install(dir.resolve("shell"));
    return none.run(List.of("sh", "-c", command), dir, Map.of()).exitValue();
  }

  private static boolean isLoopback(String host) throws IOException {
    return InetAddress.getByName(host).isLoopbackAddress();
  }
}
