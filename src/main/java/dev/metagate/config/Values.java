package dev.metagate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns raw YAML or environment values into typed ones, naming the key when one is wrong. */
final class Values {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB|GiB)?");

  private final Map<String, Object> raw;

  /** {@code raw} maps each known path to its YAML value, environment string, or null. */
  Values(Map<String, Object> raw) {
    this.raw = raw;
  }

  String string(String path) {
    Object v = raw.get(path);
    if (v == null) {
      return null;
    }
    if (v instanceof Map || v instanceof List) {
      throw bad(path, v, "a string");
    }
    String s = v.toString().trim();
    return s.isEmpty() ? null : s;
  }

  String choice(String path) {
    String s = string(path);
    Setting setting = Settings.BY_PATH.get(path);
    if (s == null || !setting.allowed().contains(s)) {
      throw bad(path, s, "one of " + String.join(", ", setting.allowed()));
    }
    return s;
  }

  int integer(String path, int min, int max) {
    Object v = raw.get(path);
    long n;
    try {
      n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw bad(path, v, "an integer from " + min + " to " + max);
    }
    if (v instanceof Double || n < min || n > max) {
      throw bad(path, v, "an integer from " + min + " to " + max);
    }
    return (int) n;
  }

  boolean bool(String path) {
    Object v = raw.get(path);
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim();
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw bad(path, v, "true or false");
  }

  Duration duration(String path, Duration min) {
    Object v = raw.get(path);
    String s = String.valueOf(v).trim();
    Matcher m = DURATION.matcher(s);
    Duration d;
    if (s.equals("0")) {
      d = Duration.ZERO;
    } else if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    } else {
      throw bad(path, v, "a duration such as 250ms, 5s, 2m or 1h");
    }
    if (d.compareTo(min) < 0) {
      throw bad(path, v, "a duration of at least " + min.toMillis() + "ms");
    }
    return d;
  }

  long size(String path, long min) {
    Object v = raw.get(path);
    String s = String.valueOf(v).trim();
    Matcher m = SIZE.matcher(s);
    if (!m.matches() || m.group(1).length() > 12) {
      throw bad(path, v, "a size such as 64KiB, 8MiB or 1GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long bytes =
        switch (unit) {
          case "KiB" -> n << 10;
          case "MiB" -> n << 20;
          case "GiB" -> n << 30;
          default -> n;
        };
    if (bytes < min) {
      throw bad(path, v, "a size of at least " + min + " bytes");
    }
    return bytes;
  }

  List<String> list(String path) {
    Object v = raw.get(path);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map || o instanceof List || o == null) {
          throw bad(path, v, "a list of strings");
        }
        out.add(o.toString().trim());
      }
    } else if (v != null) {
      Arrays.stream(v.toString().split(","))
          .map(String::trim)
          .filter(x -> !x.isEmpty())
          .forEach(out::add);
    }
    return List.copyOf(out);
  }

  static ConfigException bad(String path, Object value, String allowed) {
    String shown =
        Settings.BY_PATH.containsKey(path) && Settings.BY_PATH.get(path).secret()
            ? "***"
            : String.valueOf(value);
    return new ConfigException(
        "invalid configuration: " + path + " = '" + shown + "': expected " + allowed);
  }
}
