package dev.metagate.metadata;

import java.util.Objects;

/**
 * One committed change to a key: its new entry, or null when the key was removed. The entry's
 * creation time counts only if the key did not exist before this change; a key that did keeps its
 * own (a store need not read it back to report the change, and a snapshot that holds the key knows
 * it).
 */
public record KeyChange(String key, MetadataEntry entry) {
  public KeyChange {
    Objects.requireNonNull(key, "key");
  }

  public boolean removed() {
    return entry == null;
  }
}
