package dev.metagate.store.sqlite;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.Errors;
import dev.metagate.metadata.KeyChange;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one command inside the writer's open transaction. A command that cannot apply (a key to
 * remove is missing) is checked before anything is written, so it changes nothing and its
 * neighbours in the same commit are unaffected.
 *
 * <p>Two things keep the statements per set low, since the writer thread's time bounds the write
 * rate: users' sequence and last change are remembered (this thread is the database's only writer,
 * so the memory cannot go stale; after a rollback it is forgotten), and a key is upserted with one
 * statement that changes nothing when the value is unchanged. That statement returns no row (a
 * RETURNING clause cost about as much as the upsert itself): the write reports a changed key with
 * the creation time it would have if new, which a snapshot that already holds the key ignores.
 *
 * <p>A set of several distinct keys is upserted in statements of up to {@value #ROWS_PER_STATEMENT}
 * rows, which costs the writer about a third less per key than one statement per key (each
 * statement has its own fixed cost in the driver and in SQLite). Each row is written with the
 * sequence it gets if every key of its statement changes, and the statement's change count says
 * whether they all did. When some did not (a value set again unchanged), the keys it changed are
 * read back, being the only ones of the user above the sequence it started from, and renumbered in
 * request order, so the sequences are exactly those of one statement per key.
 */
final class WriteApplier implements AutoCloseable {
  private static final int REMEMBERED_USERS = 65_536;
  static final int ROWS_PER_STATEMENT = 16;
  private static final String UPSERT_COLUMNS =
      "INSERT INTO metadata (org_id, user_id, key, value, sequence, creation_micros, change_micros)"
          + " VALUES ";
  private static final String UPSERT_CONFLICT =
      " ON CONFLICT (org_id, user_id, key) DO UPDATE SET value = excluded.value,"
          + " sequence = excluded.sequence, change_micros = excluded.change_micros"
          + " WHERE metadata.value IS NOT excluded.value";

  private final Map<UserRef, long[]> userStates =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UserRef, long[]> eldest) {
          return size() > REMEMBERED_USERS;
        }
      };

  private final PreparedStatement selectUser;
  private final PreparedStatement upsertUser;
  private final PreparedStatement selectKey;
  private final PreparedStatement upsertKey;
  private final PreparedStatement deleteKey;
  private final PreparedStatement changedKeys;
  private final PreparedStatement renumberKey;

  /** Multi-row upserts by row count (index 2 upward), prepared when first needed. */
  private final PreparedStatement[] upsertRows = new PreparedStatement[ROWS_PER_STATEMENT + 1];

  private final Connection conn;

  WriteApplier(Connection conn) throws SQLException {
    this.conn = conn;
    selectUser =
        conn.prepareStatement(
            "SELECT sequence, change_micros FROM users WHERE org_id = ? AND user_id = ?");
    upsertUser =
        conn.prepareStatement(
            "INSERT INTO users (org_id, user_id, sequence, change_micros) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (org_id, user_id) DO UPDATE SET"
                + " sequence = excluded.sequence, change_micros = excluded.change_micros");
    selectKey =
        conn.prepareStatement(
            "SELECT 1 FROM metadata WHERE org_id = ? AND user_id = ? AND key = ?");
    upsertKey = conn.prepareStatement(UPSERT_COLUMNS + "(?, ?, ?, ?, ?, ?, ?)" + UPSERT_CONFLICT);
    deleteKey =
        conn.prepareStatement("DELETE FROM metadata WHERE org_id = ? AND user_id = ? AND key = ?");
    changedKeys =
        conn.prepareStatement(
            "SELECT key FROM metadata WHERE org_id = ? AND user_id = ? AND sequence > ?");
    renumberKey =
        conn.prepareStatement(
            "UPDATE metadata SET sequence = ? WHERE org_id = ? AND user_id = ? AND key = ?");
  }

  /** Applies {@code command} at time {@code nowMicros}; throws MetagateException if it cannot. */
  CommittedWrite apply(UserRef user, WriteCommand command, long nowMicros) throws SQLException {
    long[] state = userState(user);
    long sequence = state[0];
    long lastChange = state[1];
    long at = Math.max(nowMicros, lastChange);
    List<KeyChange> changes = new ArrayList<>();
    if (command instanceof WriteCommand.SetKeys set) {
      List<KeyValue> entries = set.entries();
      if (entries.size() > 1 && distinctKeys(entries)) {
        for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
          List<KeyValue> rows =
              entries.subList(from, Math.min(entries.size(), from + ROWS_PER_STATEMENT));
          sequence = upsertRows(user, rows, sequence, at, changes);
        }
      } else {
        for (KeyValue kv : entries) {
          if (upsert(user, kv, sequence + 1, at)) {
            sequence++;
            changes.add(changed(kv, sequence, at));
          }
        }
      }
    } else if (command instanceof WriteCommand.RemoveKeys remove) {
      LinkedHashSet<String> keys = new LinkedHashSet<>(remove.keys());
      for (String key : keys) {
        if (!exists(user, key)) {
          throw remove.bulk() ? Errors.bulkRemoveNotFound() : Errors.removeNotFound();
        }
      }
      for (String key : keys) {
        sequence++;
        delete(user, key);
        changes.add(new KeyChange(key, null));
      }
    }
    if (changes.isEmpty()) {
      return new CommittedWrite(user, sequence, lastChange, changes);
    }
    upsertUser.setString(1, user.orgId());
    upsertUser.setString(2, user.userId());
    upsertUser.setLong(3, sequence);
    upsertUser.setLong(4, at);
    upsertUser.executeUpdate();
    userStates.put(user, new long[] {sequence, at});
    return new CommittedWrite(user, sequence, at, changes);
  }

  /** A set key's change; a key that existed keeps its own creation time (KeyChange). */
  private static KeyChange changed(KeyValue kv, long sequence, long at) {
    return new KeyChange(kv.key(), new MetadataEntry(kv.key(), kv.value(), sequence, at, at));
  }

  /**
   * Upserts {@code rows} (distinct keys) in one statement, row i with sequence {@code sequence + 1
   * + i}; adds the changes in request order and returns the user's sequence after them.
   */
  private long upsertRows(
      UserRef user, List<KeyValue> rows, long sequence, long at, List<KeyChange> changes)
      throws SQLException {
    PreparedStatement st = upsertRowsStatement(rows.size());
    st.setString(1, user.orgId());
    st.setString(2, user.userId());
    st.setLong(3, sequence);
    st.setLong(4, at);
    for (int i = 0; i < rows.size(); i++) {
      st.setString(5 + 2 * i, rows.get(i).key());
      st.setBytes(6 + 2 * i, rows.get(i).value());
    }
    int changed = st.executeUpdate();
    if (changed == rows.size()) {
      for (int i = 0; i < rows.size(); i++) {
        changes.add(changed(rows.get(i), sequence + 1 + i, at));
      }
      return sequence + changed;
    }
    if (changed == 0) {
      return sequence;
    }
    Set<String> keys = keysChangedSince(user, sequence);
    long next = sequence;
    for (int i = 0; i < rows.size(); i++) {
      KeyValue kv = rows.get(i);
      if (!keys.contains(kv.key())) {
        continue;
      }
      next++;
      if (next != sequence + 1 + i) {
        renumber(user, kv.key(), next);
      }
      changes.add(changed(kv, next, at));
    }
    return next;
  }

  /** {@code INSERT ... VALUES (row), ... ON CONFLICT ...} for {@code n} rows, numbered params. */
  private PreparedStatement upsertRowsStatement(int n) throws SQLException {
    PreparedStatement st = upsertRows[n];
    if (st == null) {
      StringBuilder sql = new StringBuilder(UPSERT_COLUMNS);
      for (int i = 0; i < n; i++) {
        int key = 5 + 2 * i;
        sql.append(i == 0 ? "" : ", ")
            .append("(?1, ?2, ?")
            .append(key)
            .append(", ?")
            .append(key + 1)
            .append(", ?3 + ")
            .append(i + 1)
            .append(", ?4, ?4)");
      }
      st = conn.prepareStatement(sql.append(UPSERT_CONFLICT).toString());
      upsertRows[n] = st;
    }
    return st;
  }

  /** The user's keys changed after {@code sequence}: no key of it has a later one otherwise. */
  private Set<String> keysChangedSince(UserRef user, long sequence) throws SQLException {
    changedKeys.setString(1, user.orgId());
    changedKeys.setString(2, user.userId());
    changedKeys.setLong(3, sequence);
    Set<String> keys = new HashSet<>();
    try (ResultSet rs = changedKeys.executeQuery()) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    return keys;
  }

  private void renumber(UserRef user, String key, long sequence) throws SQLException {
    renumberKey.setLong(1, sequence);
    renumberKey.setString(2, user.orgId());
    renumberKey.setString(3, user.userId());
    renumberKey.setString(4, key);
    renumberKey.executeUpdate();
  }

  private static boolean distinctKeys(List<KeyValue> entries) {
    Set<String> seen = new HashSet<>();
    for (KeyValue kv : entries) {
      if (!seen.add(kv.key())) {
        return false;
      }
    }
    return true;
  }

  /** Drops what is remembered of users: the transaction it came from was rolled back. */
  void forgetUserStates() {
    userStates.clear();
  }

  private long[] userState(UserRef user) throws SQLException {
    long[] known = userStates.get(user);
    if (known != null) {
      return known;
    }
    selectUser.setString(1, user.orgId());
    selectUser.setString(2, user.userId());
    try (ResultSet rs = selectUser.executeQuery()) {
      long[] state = rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
      userStates.put(user, state);
      return state;
    }
  }

  private boolean exists(UserRef user, String key) throws SQLException {
    selectKey.setString(1, user.orgId());
    selectKey.setString(2, user.userId());
    selectKey.setString(3, key);
    try (ResultSet rs = selectKey.executeQuery()) {
      return rs.next();
    }
  }

  /** Sets the key unless it already holds this value; whether it changed. */
  private boolean upsert(UserRef user, KeyValue kv, long sequence, long at) throws SQLException {
    upsertKey.setString(1, user.orgId());
    upsertKey.setString(2, user.userId());
    upsertKey.setString(3, kv.key());
    upsertKey.setBytes(4, kv.value());
    upsertKey.setLong(5, sequence);
    upsertKey.setLong(6, at);
    upsertKey.setLong(7, at);
    return upsertKey.executeUpdate() > 0;
  }

  private void delete(UserRef user, String key) throws SQLException {
    deleteKey.setString(1, user.orgId());
    deleteKey.setString(2, user.userId());
    deleteKey.setString(3, key);
    deleteKey.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    selectUser.close();
    upsertUser.close();
    selectKey.close();
    upsertKey.close();
    deleteKey.close();
    changedKeys.close();
    renumberKey.close();
    for (PreparedStatement st : upsertRows) {
      if (st != null) {
        st.close();
      }
    }
  }
}
