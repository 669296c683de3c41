package dev.metagate.deploy;

import dev.metagate.config.ConfigLoader;
import dev.metagate.config.MetagateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the Dockerfile and the sidecar manifest mean together, as the tests need it. */
final class Packaging {
  static final Path DOCKERFILE = Path.of("Dockerfile");

  /** The config file the ConfigMap mounts, as the metagate container sees it. */
  static final String CONFIG_KEY = "metagate.yaml";

  private static final Pattern XMX = Pattern.compile("(?:^|\\s)-Xmx(\\d+)([kKmMgG]?)(?=\\s|$)");
  private static final Pattern QUANTITY = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?");

  private Packaging() {}

  static DockerfileModel dockerfile() throws IOException {
    return DockerfileModel.read(DOCKERFILE);
  }

  /** The environment of the metagate container: the image's ENV, then the pod's env over it. */
  static Map<String, String> podEnvironment(DockerfileModel image, SidecarManifest manifest) {
    Map<String, String> env = new LinkedHashMap<>(image.env());
    env.putAll(SidecarManifest.env(manifest.container("metagate")));
    return env;
  }

  /** Writes the ConfigMap's metagate.yaml into {@code dir}, as the config volume would. */
  static Path configMapFile(SidecarManifest manifest, Path dir) throws IOException {
    Object text = manifest.configMapData().get(CONFIG_KEY);
    if (!(text instanceof String s)) {
      throw new AssertionError("the ConfigMap has no " + CONFIG_KEY);
    }
    return Files.writeString(Files.createDirectories(dir).resolve(CONFIG_KEY), s);
  }

  /** Loads {@code file} with {@code env} through metagate's own loader; warnings are failures. */
  static MetagateConfig load(Path file, Map<String, String> env) {
    ConfigLoader loader = new ConfigLoader();
    MetagateConfig config = loader.load(file, env);
    if (!loader.warnings().isEmpty()) {
      throw new AssertionError("configuration warnings: " + loader.warnings());
    }
    return config;
  }

  /** The {@code -Xmx} of a JAVA_OPTS string, in MiB; fails when there is none. */
  static long maxHeapMib(String javaOpts) {
    Matcher m = XMX.matcher(javaOpts);
    if (!m.find()) {
      throw new AssertionError("no -Xmx in JAVA_OPTS '" + javaOpts + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "g" -> n * 1024;
      case "m" -> n;
      case "k" -> n / 1024;
      default -> n / (1024 * 1024);
    };
  }

  /** A Kubernetes memory quantity ({@code 192Mi}, {@code 1Gi}, {@code 200M}) in whole MiB. */
  static long quantityMib(String quantity) {
    Matcher m = QUANTITY.matcher(quantity);
    if (!m.matches()) {
      throw new AssertionError("not a memory quantity this test understands: " + quantity);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    double bytes =
        switch (unit) {
          case "Ki" -> n * 1024.0;
          case "Mi" -> n * 1024.0 * 1024;
          case "Gi" -> n * 1024.0 * 1024 * 1024;
          case "k" -> n * 1e3;
          case "M" -> n * 1e6;
          case "G" -> n * 1e9;
          default -> n;
        };
    return (long) Math.floor(bytes / (1024 * 1024));
  }
}
