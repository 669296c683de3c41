package dev.metagate.metadata;

import java.util.Objects;

/** One key and value a caller asks to set; the value is already base64-decoded. */
public record KeyValue(String key, byte[] value) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv
        && key.equals(kv.key)
        && java.util.Arrays.equals(value, kv.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + java.util.Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "KeyValue[key=" + key + ", bytes=" + value.length + "]";
  }
}
