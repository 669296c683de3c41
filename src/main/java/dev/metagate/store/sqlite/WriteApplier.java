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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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
 */
final class WriteApplier implements AutoCloseable {
  private static final int REMEMBERED_USERS = 65_536;

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

  WriteApplier(Connection conn) throws SQLException {
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
    upsertKey =
        conn.prepareStatement(
            "INSERT INTO metadata"
                + " (org_id, user_id, key, value, sequence, creation_micros, change_micros)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (org_id, user_id, key) DO UPDATE SET value = excluded.value,"
                + " sequence = excluded.sequence, change_micros = excluded.change_micros"
                + " WHERE metadata.value IS NOT excluded.value");
    deleteKey =
        conn.prepareStatement("DELETE FROM metadata WHERE org_id = ? AND user_id = ? AND key = ?");
  }

  /** Applies {@code command} at time {@code nowMicros}; throws MetagateException if it cannot. */
  CommittedWrite apply(UserRef user, WriteCommand command, long nowMicros) throws SQLException {
    long[] state = userState(user);
    long sequence = state[0];
    long lastChange = state[1];
    long at = Math.max(nowMicros, lastChange);
    List<KeyChange> changes = new ArrayList<>();
    if (command instanceof WriteCommand.SetKeys set) {
      for (KeyValue kv : set.entries()) {
        if (!upsert(user, kv, sequence + 1, at)) {
          continue;
        }
        sequence++;
        // the creation time of a new key; one that existed keeps its own (KeyChange)
        MetadataEntry entry = new MetadataEntry(kv.key(), kv.value(), sequence, at, at);
        changes.add(new KeyChange(kv.key(), entry));
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
  }
}
