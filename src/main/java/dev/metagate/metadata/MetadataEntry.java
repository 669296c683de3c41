package dev.metagate.metadata;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored key of a user: its value, the sequence of its latest change, when it was first set
 * (since it last did not exist) and when it last changed, in microseconds since the epoch.
 */
public record MetadataEntry(
    String key, byte[] value, long sequence, long creationMicros, long changeMicros) {
  /** Per-entry bytes counted on top of key and value when weighing a cache entry. */
  static final int OVERHEAD_BYTES = 96;

  public MetadataEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  public int weight() {
    return 2 * key.length() + value.length + OVERHEAD_BYTES;
  }

  public boolean hasValue(byte[] other) {
    return Arrays.equals(value, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetadataEntry e
        && key.equals(e.key)
        && Arrays.equals(value, e.value)
        && sequence == e.sequence
        && creationMicros == e.creationMicros
        && changeMicros == e.changeMicros;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), sequence, creationMicros, changeMicros);
  }

  @Override
  public String toString() {
    // never the value: it may be a secret
    return "MetadataEntry[key=" + key + ", bytes=" + value.length + ", sequence=" + sequence + "]";
  }
}
