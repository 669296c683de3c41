package dev.metagate.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * An immutable snapshot of one user's full metadata, sorted by key, with the user's event sequence
 * and the time of its latest change. This is what the cache holds per user.
 */
public final class UserMetadata {
  private static final Comparator<MetadataEntry> BY_KEY = Comparator.comparing(MetadataEntry::key);
  private static final Comparator<MetadataEntry> BY_CREATION =
      Comparator.comparingLong(MetadataEntry::creationMicros).thenComparing(BY_KEY);
  private static final int BASE_WEIGHT = 64;

  private final UserRef user;
  private final long sequence;
  private final long lastChangeMicros;
  private final MetadataEntry[] entries;
  private final long weight;

  private UserMetadata(UserRef user, long sequence, long lastChangeMicros, MetadataEntry[] sorted) {
    this.user = user;
    this.sequence = sequence;
    this.lastChangeMicros = lastChangeMicros;
    this.entries = sorted;
    long w = BASE_WEIGHT + user.weight();
    for (MetadataEntry e : sorted) {
      w += e.weight();
    }
    this.weight = w;
  }

  /** A snapshot of the given entries, in any order; keys must be unique. */
  public static UserMetadata of(
      UserRef user, long sequence, long lastChangeMicros, List<MetadataEntry> entries) {
    MetadataEntry[] sorted = entries.toArray(new MetadataEntry[0]);
    Arrays.sort(sorted, BY_KEY);
    return new UserMetadata(user, sequence, lastChangeMicros, sorted);
  }

  /** The snapshot of a user that has never been written. */
  public static UserMetadata empty(UserRef user) {
    return new UserMetadata(user, 0, 0, new MetadataEntry[0]);
  }

  public UserRef user() {
    return user;
  }

  public long sequence() {
    return sequence;
  }

  public long lastChangeMicros() {
    return lastChangeMicros;
  }

  public int size() {
    return entries.length;
  }

  /** Approximate heap bytes, for the byte-bounded cache. */
  public long weight() {
    return weight;
  }

  /** The entry for {@code key}, or null. */
  public MetadataEntry get(String key) {
    int i = indexOf(key);
    return i >= 0 ? entries[i] : null;
  }

  /** The entries matching every query, in the order of {@code page}, paged by it. */
  public MetadataPage list(ListQuery page, List<KeyQuery> queries) {
    List<MetadataEntry> matches = new ArrayList<>();
    for (MetadataEntry e : entries) {
      if (matchesAll(e.key(), queries)) {
        matches.add(e);
      }
    }
    if (page.order() == ListQuery.Order.CREATION_DATE) {
      matches.sort(page.asc() ? BY_CREATION : BY_CREATION.reversed());
    }
    int from = (int) Math.min(page.offset(), matches.size());
    int to = Math.min(matches.size(), from + page.effectiveLimit());
    return new MetadataPage(matches.size(), sequence, lastChangeMicros, matches.subList(from, to));
  }

  /**
   * This snapshot with a committed write applied; a write this snapshot already contains (its
   * sequence is not newer) leaves it unchanged. A set key this snapshot already holds keeps its
   * creation time (see {@link KeyChange}).
   */
  public UserMetadata apply(CommittedWrite write) {
    if (write.changes().isEmpty() || write.sequence() <= sequence) {
      return this;
    }
    TreeMap<String, MetadataEntry> map = new TreeMap<>();
    for (MetadataEntry e : entries) {
      map.put(e.key(), e);
    }
    for (KeyChange change : write.changes()) {
      if (change.removed()) {
        map.remove(change.key());
      } else {
        map.merge(change.key(), change.entry(), UserMetadata::keepCreation);
      }
    }
    return new UserMetadata(
        user, write.sequence(), write.changeMicros(), map.values().toArray(new MetadataEntry[0]));
  }

  private static MetadataEntry keepCreation(MetadataEntry held, MetadataEntry set) {
    if (held.creationMicros() == set.creationMicros()) {
      return set;
    }
    return new MetadataEntry(
        set.key(), set.value(), set.sequence(), held.creationMicros(), set.changeMicros());
  }

  private static boolean matchesAll(String key, List<KeyQuery> queries) {
    for (KeyQuery q : queries) {
      if (!q.matches(key)) {
        return false;
      }
    }
    return true;
  }

  private int indexOf(String key) {
    int lo = 0;
    int hi = entries.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = entries[mid].key().compareTo(key);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }
}
