package dev.metagate.metadata;

import java.util.Objects;

/** A filter on metadata keys; several are ANDed. */
public record KeyQuery(String key, TextQueryMethod method) {
  public KeyQuery {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(method, "method");
  }

  public boolean matches(String candidate) {
    return method.matches(candidate, key);
  }
}
