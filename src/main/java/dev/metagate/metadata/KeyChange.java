package dev.metagate.metadata;

import java.util.Objects;

/** One committed change to a key: its new entry, or null when the key was removed. */
public record KeyChange(String key, MetadataEntry entry) {
  public KeyChange {
    Objects.requireNonNull(key, "key");
  }

  public boolean removed() {
    return entry == null;
  }
}
