package dev.metagate.config;

import java.util.List;

/** One known configuration key: its dotted path, value kind, default and allowed values. */
record Setting(String path, Kind kind, String defaultValue, List<String> allowed, boolean secret) {
  enum Kind {
    STRING,
    INT,
    BOOL,
    DURATION,
    SIZE,
    LIST,
    ENUM
  }

  static Setting of(String path, Kind kind, String defaultValue) {
    return new Setting(path, kind, defaultValue, List.of(), false);
  }

  static Setting oneOf(String path, String defaultValue, String... allowed) {
    return new Setting(path, Kind.ENUM, defaultValue, List.of(allowed), false);
  }

  static Setting secret(String path) {
    return new Setting(path, Kind.STRING, null, List.of(), true);
  }

  /**
   * The environment variable that overrides this key: {@code METAGATE_} plus the path in upper
   * snake case, dots and camelCase humps becoming underscores.
   */
  String envName() {
    StringBuilder sb = new StringBuilder("METAGATE_");
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }
}
