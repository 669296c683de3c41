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
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Applies one command inside the writer's open transaction. A command that cannot apply (a key to
 * remove is missing) is checked before anything is written, so it changes nothing and its
 * neighbours in the same commit are unaffected.
 */
final class WriteApplier implements AutoCloseable {
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
            "SELECT value, creation_micros FROM metadata"
                + " WHERE org_id = ? AND user_id = ? AND key = ?");
    upsertKey =
        conn.prepareStatement(
            "INSERT INTO metadata"
                + " (org_id, user_id, key, value, sequence, creation_micros, change_micros)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (org_id, user_id, key) DO UPDATE SET value = excluded.value,"
                + " sequence = excluded.sequence, change_micros = excluded.change_micros");
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
        Stored stored = stored(user, kv.key());
        if (stored != null && Arrays.equals(stored.value, kv.value())) {
          continue;
        }
        sequence++;
        long created = stored == null ? at : stored.creationMicros;
        MetadataEntry entry = new MetadataEntry(kv.key(), kv.value(), sequence, created, at);
        upsert(user, entry);
        changes.add(new KeyChange(kv.key(), entry));
      }
    } else if (command instanceof WriteCommand.RemoveKeys remove) {
      LinkedHashSet<String> keys = new LinkedHashSet<>(remove.keys());
      for (String key : keys) {
        if (stored(user, key) == null) {
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
    return new CommittedWrite(user, sequence, at, changes);
  }

  private long[] userState(UserRef user) throws SQLException {
    selectUser.setString(1, user.orgId());
    selectUser.setString(2, user.userId());
    try (ResultSet rs = selectUser.executeQuery()) {
      return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
    }
  }

  private Stored stored(UserRef user, String key) throws SQLException {
    selectKey.setString(1, user.orgId());
    selectKey.setString(2, user.userId());
    selectKey.setString(3, key);
    try (ResultSet rs = selectKey.executeQuery()) {
      return rs.next() ? new Stored(rs.getBytes(1), rs.getLong(2)) : null;
    }
  }

  private void upsert(UserRef user, MetadataEntry e) throws SQLException {
    upsertKey.setString(1, user.orgId());
    upsertKey.setString(2, user.userId());
    upsertKey.setString(3, e.key());
    upsertKey.setBytes(4, e.value());
    upsertKey.setLong(5, e.sequence());
    upsertKey.setLong(6, e.creationMicros());
    upsertKey.setLong(7, e.changeMicros());
    upsertKey.executeUpdate();
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

  private record Stored(byte[] value, long creationMicros) {}
}
