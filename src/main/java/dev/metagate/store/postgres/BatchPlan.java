package dev.metagate.store.postgres;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.Errors;
import dev.metagate.metadata.KeyChange;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch of commands in memory to the state a transaction loaded (the locked users' rows
 * and the keys the batch touches), and collects the rows the transaction must then write. The rules
 * match SQLite's: every changed key is one event of the user's sequence, a set to the value a key
 * already holds is no event, a remove of several keys is all or nothing, a key keeps its creation
 * time until it is removed, and change times never go backwards for a user.
 *
 * <p>Keeping the rules out of SQL means one read and one write round trip per batch however many
 * commands it holds.
 */
final class BatchPlan {
  /** A user's row: its sequence and latest change time. */
  record UserState(long sequence, long changeMicros) {}

  private final Map<UserRef, UserState> users;
  private final Map<UserRef, Map<String, MetadataEntry>> keys;
  private final Map<UserRef, Map<String, MetadataEntry>> dirtyKeys = new LinkedHashMap<>();
  private final Map<UserRef, UserState> dirtyUsers = new LinkedHashMap<>();

  /**
   * @param users every user of the batch (missing ones count as never written)
   * @param keys the stored entries of the keys the batch names
   */
  BatchPlan(Map<UserRef, UserState> users, Map<UserRef, Map<String, MetadataEntry>> keys) {
    this.users = new HashMap<>(users);
    this.keys = new HashMap<>();
    keys.forEach((u, m) -> this.keys.put(u, new HashMap<>(m)));
  }

  /**
   * The committed write this command makes, or the MetagateException that keeps it from applying.
   */
  Object apply(UserRef user, WriteCommand command, long nowMicros) {
    UserState state = users.getOrDefault(user, new UserState(0, 0));
    Map<String, MetadataEntry> current = keys.computeIfAbsent(user, u -> new HashMap<>());
    long at = Math.max(nowMicros, state.changeMicros());
    long sequence = state.sequence();
    List<KeyChange> changes = new ArrayList<>();
    if (command instanceof WriteCommand.SetKeys set) {
      for (KeyValue kv : set.entries()) {
        MetadataEntry old = current.get(kv.key());
        if (old != null && old.hasValue(kv.value())) {
          continue;
        }
        sequence++;
        long created = old != null ? old.creationMicros() : at;
        MetadataEntry entry = new MetadataEntry(kv.key(), kv.value(), sequence, created, at);
        changes.add(new KeyChange(kv.key(), entry));
      }
    } else if (command instanceof WriteCommand.RemoveKeys remove) {
      LinkedHashSet<String> distinct = new LinkedHashSet<>(remove.keys());
      for (String key : distinct) {
        if (!current.containsKey(key)) {
          return remove.bulk() ? Errors.bulkRemoveNotFound() : Errors.removeNotFound();
        }
      }
      for (String key : distinct) {
        sequence++;
        changes.add(new KeyChange(key, null));
      }
    }
    if (changes.isEmpty()) {
      return new CommittedWrite(user, sequence, state.changeMicros(), changes);
    }
    record(user, current, changes);
    UserState after = new UserState(sequence, at);
    users.put(user, after);
    dirtyUsers.put(user, after);
    return new CommittedWrite(user, sequence, at, changes);
  }

  private void record(UserRef user, Map<String, MetadataEntry> current, List<KeyChange> changes) {
    Map<String, MetadataEntry> dirty = dirtyKeys.computeIfAbsent(user, u -> new LinkedHashMap<>());
    for (KeyChange c : changes) {
      if (c.removed()) {
        current.remove(c.key());
      } else {
        current.put(c.key(), c.entry());
      }
      dirty.put(c.key(), c.entry());
    }
  }

  /** Keys to insert or overwrite, each with its final entry. */
  List<Row> upserts() {
    return rows(false);
  }

  /** Keys to delete (their entry is null). */
  List<Row> deletes() {
    return rows(true);
  }

  /** Users whose sequence moved, with their new state. */
  Map<UserRef, UserState> changedUsers() {
    return dirtyUsers;
  }

  private List<Row> rows(boolean removed) {
    List<Row> out = new ArrayList<>();
    dirtyKeys.forEach(
        (user, m) ->
            m.forEach(
                (key, entry) -> {
                  if ((entry == null) == removed) {
                    out.add(new Row(user, key, entry));
                  }
                }));
    return out;
  }

  /** One key's final state in this batch; a null entry means deleted. */
  record Row(UserRef user, String key, MetadataEntry entry) {}
}
