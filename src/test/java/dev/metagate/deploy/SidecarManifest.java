package dev.metagate.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code deploy/kubernetes-sidecar.yaml} read with a YAML parser: the ConfigMap and the
 * Deployment's pod spec, with typed accessors for the parts the tests check. A missing part fails
 * with its path.
 */
final class SidecarManifest {
  static final Path FILE = Path.of("deploy/kubernetes-sidecar.yaml");

  private final Map<String, Object> configMap;
  private final Map<String, Object> deployment;

  private SidecarManifest(Map<String, Object> configMap, Map<String, Object> deployment) {
    this.configMap = configMap;
    this.deployment = deployment;
  }

  static SidecarManifest read() throws IOException {
    Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
    Load load = new Load(LoadSettings.builder().build());
    for (Object doc : load.loadAllFromString(Files.readString(FILE))) {
      Map<String, Object> m = asMap(doc, "document");
      if (byKind.put(string(m, "kind"), m) != null) {
        throw new AssertionError("more than one " + m.get("kind") + " in " + FILE);
      }
    }
    return new SidecarManifest(
        require(byKind.get("ConfigMap"), "ConfigMap"),
        require(byKind.get("Deployment"), "Deployment"));
  }

  String configMapName() {
    return string(map(configMap, "metadata"), "name");
  }

  /** The ConfigMap's {@code data}: file name to file content. */
  Map<String, Object> configMapData() {
    return map(configMap, "data");
  }

  Map<String, Object> podSpec() {
    return map(map(map(deployment, "spec"), "template"), "spec");
  }

  Map<String, Object> podAnnotations() {
    return map(map(map(map(deployment, "spec"), "template"), "metadata"), "annotations");
  }

  Map<String, Object> container(String name) {
    return list(podSpec(), "containers").stream()
        .map(c -> asMap(c, "container"))
        .filter(c -> name.equals(c.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container '" + name + "' in " + FILE));
  }

  /** A container's {@code env} entries with literal values ({@code valueFrom} is refused). */
  static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object o : list(container, "env")) {
      Map<String, Object> e = asMap(o, "env entry");
      env.put(string(e, "name"), String.valueOf(require(e.get("value"), "env value")));
    }
    return env;
  }

  /** The volume named {@code name} in the pod spec. */
  Map<String, Object> volume(String name) {
    return list(podSpec(), "volumes").stream()
        .map(v -> asMap(v, "volume"))
        .filter(v -> name.equals(v.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume '" + name + "' in " + FILE));
  }

  static Map<String, Object> map(Map<String, Object> parent, String key) {
    return asMap(require(parent.get(key), key), key);
  }

  static List<Object> list(Map<String, Object> parent, String key) {
    if (!(require(parent.get(key), key) instanceof List<?> l)) {
      throw new AssertionError(key + " is not a list");
    }
    return new ArrayList<>(l);
  }

  static String string(Map<String, Object> parent, String key) {
    return String.valueOf(require(parent.get(key), key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o, String what) {
    if (!(o instanceof Map<?, ?>)) {
      throw new AssertionError(what + " is not a mapping in " + FILE + ": " + o);
    }
    return (Map<String, Object>) o;
  }

  private static <T> T require(T value, String what) {
    if (value == null) {
      throw new AssertionError("missing " + what + " in " + FILE);
    }
    return value;
  }
}
