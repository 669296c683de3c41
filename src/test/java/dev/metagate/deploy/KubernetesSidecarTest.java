package dev.metagate.deploy;

import static dev.metagate.deploy.SidecarManifest.list;
import static dev.metagate.deploy.SidecarManifest.map;
import static dev.metagate.deploy.SidecarManifest.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.app.Gateway;
import dev.metagate.config.MetagateConfig;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/kubernetes-sidecar.yaml} against the Dockerfile and metagate itself: the ConfigMap
 * loads with the container's environment, the probes hit routes the real admin port serves, the API
 * stays on loopback, the security context fits the image's user, every written path is a volume,
 * and the memory figures follow the benchmark's measurements.
 */
@ExtendWith(Invariants.class)
class KubernetesSidecarTest {
  /** Heap beyond cache.maxBytes for everything else (README "Memory"). */
  private static final long HEAP_BEYOND_CACHE_MIB = 128;

  /**
   * Memory the pod needs beyond -Xmx: JVM non-heap (about 100 MiB committed once ready, measured
   * with -XX:NativeMemoryTracking=summary and the sidecar's JAVA_OPTS: GC, metaspace and class
   * space, code cache, symbols) plus SQLite's page caches (32 MiB writer + 2 readers × 4 MiB,
   * store/sqlite/Connections), which live outside the heap.
   */
  private static final long NON_HEAP_MIB = 100 + 40;

  /** Launcher lets a stop take shutdown.timeout + 5 s before it gives up. */
  private static final long STOP_MARGIN_SECONDS = 5;

  private static final Pattern IDLE_RSS_ROW =
      Pattern.compile(
          "^\\| idle RSS, cache\\.maxBytes (\\S+), JAVA_OPTS (.+?), after warm-up \\(MiB\\) \\|"
              + " (\\d+) \\|",
          Pattern.MULTILINE);

  static DockerfileModel image;
  static SidecarManifest manifest;
  static Map<String, Object> metagate;

  @TempDir Path dir;

  @BeforeAll
  static void read() throws IOException {
    image = Packaging.dockerfile();
    manifest = SidecarManifest.read();
    metagate = manifest.container("metagate");
  }

  @Test
  void configMap_loadsWithTheImageAndPodEnvironment_withoutErrorsOrWarnings() throws IOException {
    MetagateConfig config = podConfig();
    assertThat(config.auth().devIssuer()).isFalse();
    assertThat(config.verifiesTokens()).isTrue();
    assertThat(config.auth().issuer()).isNotBlank();
  }

  @Test
  void api_listensOnLoopback_whereTheAppContainerLooksForIt() throws IOException {
    MetagateConfig config = podConfig();
    assertThat(isLoopback(config.http().host())).as("http.host " + config.http().host()).isTrue();
    URI appTarget =
        URI.create(
            SidecarManifest.env(manifest.container("app")).values().stream()
                .filter(v -> v.startsWith("http://"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the app container has no metagate URL")));
    assertThat(isLoopback(appTarget.getHost())).isTrue();
    assertThat(appTarget.getPort()).isEqualTo(config.http().port());
  }

  @Test
  void probesAndScrape_useTheAdminPort_whichTheKubeletCanReach() throws IOException {
    MetagateConfig config = podConfig();
    assertThat(isLoopback(config.admin().host()))
        .as("probes come from the node to the pod's IP, so admin.host must not be loopback")
        .isFalse();
    Map<String, Object> port = namedPort(probe("readinessProbe").get("port"));
    assertThat(port.get("containerPort")).isEqualTo(config.admin().port());
    assertThat(namedPort(probe("livenessProbe").get("port"))).isSameAs(port);
    assertThat(manifest.podAnnotations())
        .containsEntry("prometheus.io/port", String.valueOf(config.admin().port()));
  }

  @Test
  void probePaths_answer200_onTheRealGatewayStartedWithThePodsConfiguration() throws Exception {
    String ready = string(probe("readinessProbe"), "path");
    String live = string(probe("livenessProbe"), "path");
    String scrape = String.valueOf(manifest.podAnnotations().get("prometheus.io/path"));
    assertThat(live)
        .as("a liveness probe on readiness restarts a draining pod")
        .isNotEqualTo(ready);
    try (TestIssuer issuer = TestIssuer.start()) {
      Map<String, String> env = Packaging.podEnvironment(image, manifest);
      env.put("METAGATE_HTTP_PORT", "0");
      env.put("METAGATE_ADMIN_PORT", "0");
      env.put("METAGATE_STORE_PATH", dir.resolve("data/metagate.db").toString());
      env.put("METAGATE_AUTH_ISSUER", issuer.url());
      MetagateConfig config = Packaging.load(Packaging.configMapFile(manifest, dir), env);
      Gateway gw =
          Gateway.start(config, Clock.systemUTC(), Ticker.systemTicker()).get(30, TimeUnit.SECONDS);
      try {
        Http admin = new Http("http://127.0.0.1:" + gw.adminPort());
        for (String path : List.of(ready, live, scrape)) {
          assertThat(admin.get(path, null).status()).as(path).isEqualTo(200);
        }
        assertThat(admin.get(ready, null).json().getString("status")).isEqualTo("UP");
        assertAudienceIsChecked(issuer, config, new Http("http://127.0.0.1:" + gw.apiPort()));
      } finally {
        gw.stop().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void securityContext_runsAsTheImagesNonRootUser_andGroup() {
    String[] user = image.single("USER").split(":");
    Map<String, Object> pod = map(manifest.podSpec(), "securityContext");
    Map<String, Object> container = map(metagate, "securityContext");
    assertThat(pod.get("runAsNonRoot")).isEqualTo(true);
    assertThat(container.get("allowPrivilegeEscalation")).isEqualTo(false);
    for (Map<String, Object> context : List.of(pod, container)) {
      if (context.containsKey("runAsUser")) {
        assertThat(String.valueOf(context.get("runAsUser"))).isEqualTo(user[0]);
      }
      for (String group : List.of("runAsGroup", "fsGroup")) {
        if (context.containsKey(group)) {
          assertThat(user).as("USER names the group " + group + " refers to").hasSize(2);
          assertThat(String.valueOf(context.get(group))).as(group).isEqualTo(user[1]);
        }
      }
    }
  }

  @Test
  void readOnlyRootFilesystem_everyPathMetagateWritesIsAWritableVolume() throws IOException {
    assertThat(map(metagate, "securityContext").get("readOnlyRootFilesystem")).isEqualTo(true);
    Map<String, Map<String, Object>> mounts = new HashMap<>();
    for (Object o : list(metagate, "volumeMounts")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      mounts.put(string(m, "mountPath"), m);
    }
    String storeDir = Path.of(podConfig().store().path()).getParent().toString();
    // sqlite-jdbc unpacks its native library into java.io.tmpdir; the JVM keeps hsperfdata there
    for (String writable : List.of(storeDir, "/tmp")) {
      assertThat(mounts).as("a volume on " + writable).containsKey(writable);
      assertThat(mounts.get(writable).get("readOnly")).as(writable).isNotEqualTo(true);
    }
    Path config = Path.of(configPathInEntrypoint());
    Map<String, Object> conf = mounts.get(config.getParent().toString());
    assertThat(conf).as("the config volume is mounted on " + config.getParent()).isNotNull();
    assertThat(conf.get("readOnly")).isEqualTo(true);
    Map<String, Object> volume = manifest.volume(string(conf, "name"));
    assertThat(string(map(volume, "configMap"), "name")).isEqualTo(manifest.configMapName());
    assertThat(manifest.configMapData()).containsKey(config.getFileName().toString());
  }

  @Test
  void memory_heapFitsTheCache_limitFitsHeapAndNonHeap_requestCoversMeasuredIdleRss()
      throws IOException {
    String javaOpts = SidecarManifest.env(metagate).get("JAVA_OPTS");
    assertThat(javaOpts).as("the metagate container sets JAVA_OPTS").isNotBlank();
    MetagateConfig config = podConfig();
    long heap = Packaging.maxHeapMib(javaOpts);
    assertThat(heap)
        .isGreaterThanOrEqualTo(config.cache().maxBytes() / (1 << 20) + HEAP_BEYOND_CACHE_MIB);

    Map<String, Object> resources = map(metagate, "resources");
    long request = Packaging.quantityMib(string(map(resources, "requests"), "memory"));
    long limit = Packaging.quantityMib(string(map(resources, "limits"), "memory"));
    assertThat(limit).isGreaterThanOrEqualTo(heap + NON_HEAP_MIB);

    Matcher row = latestIdleRssRow();
    assertThat(row.group(2)).as("the measured JAVA_OPTS are the manifest's").isEqualTo(javaOpts);
    assertThat(row.group(1)).isEqualTo(config.effective().get("cache.maxBytes"));
    assertThat(request)
        .isGreaterThanOrEqualTo(Long.parseLong(row.group(3)))
        .isLessThanOrEqualTo(limit);
    assertThat(Files.readString(Path.of("bench/run.sh")))
        .as("bench/run.sh measures the manifest's JAVA_OPTS")
        .contains("SIDECAR_JAVA_OPTS=${SIDECAR_JAVA_OPTS:-\"" + javaOpts + "\"}");
  }

  @Test
  void terminationGracePeriod_outlastsTheLongestStop() throws IOException {
    long grace = ((Number) manifest.podSpec().get("terminationGracePeriodSeconds")).longValue();
    assertThat(grace)
        .isGreaterThanOrEqualTo(podConfig().shutdown().timeout().toSeconds() + STOP_MARGIN_SECONDS);
  }

  /** A token must carry the ConfigMap's audience: with it the call passes auth, without it 401. */
  private static void assertAudienceIsChecked(TestIssuer issuer, MetagateConfig config, Http api) {
    assertThat(config.auth().audience()).isNotEmpty();
    String path = "/management/v1/users/u-1/metadata/k";
    String right =
        issuer.rs256(
            issuer.claims("u-1", "o-1").put("aud", new JsonArray(config.auth().audience())));
    String wrong = issuer.token("u-1", "o-1");
    assertThat(api.get(path, wrong).status()).isEqualTo(401);
    assertThat(api.get(path, right).status()).isEqualTo(404);
  }

  /** The configuration the metagate container runs with (store path and ports as in the pod). */
  private MetagateConfig podConfig() throws IOException {
    return Packaging.load(
        Packaging.configMapFile(manifest, dir), Packaging.podEnvironment(image, manifest));
  }

  private static Map<String, Object> probe(String name) {
    return map(map(metagate, name), "httpGet");
  }

  /** The container port a probe's {@code port} (a name or a number) refers to. */
  private static Map<String, Object> namedPort(Object port) {
    return list(metagate, "ports").stream()
        .map(
            o -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> p = (Map<String, Object>) o;
              return p;
            })
        .filter(p -> port.equals(p.get("name")) || port.equals(p.get("containerPort")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + port));
  }

  private static String configPathInEntrypoint() {
    List<String> words = new ArrayList<>();
    image.entrypoint().forEach(a -> words.addAll(List.of(a.split("\\s+"))));
    int i = words.indexOf("--config");
    assertThat(i).as("the ENTRYPOINT passes --config").isNotNegative();
    return words.get(i + 1);
  }

  /** The idle-RSS row of the newest bench result file that has one. */
  private static Matcher latestIdleRssRow() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("bench/results"))) {
      files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (int i = files.size() - 1; i >= 0; i--) {
      Matcher m = IDLE_RSS_ROW.matcher(Files.readString(files.get(i)));
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("no idle RSS measurement in bench/results");
  }

  private static boolean isLoopback(String host) throws IOException {
    return InetAddress.getByName(host).isLoopbackAddress();
  }
}
