package dev.metagate.store.postgres;

import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import dev.metagate.store.postgres.BatchPlan.UserState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One group commit as SQL, in two pipelined round trips: (1) begin, lock every user of the batch
 * (creating missing rows first) in one global order, and read the keys the batch names; (2) write
 * what {@link BatchPlan} decided, queue a change notification per changed user, and commit. The
 * caller rolls back if anything fails.
 */
final class BatchTransaction {
  /** The channel instances listen on for other instances' commits. */
  static final String CHANNEL = "metagate_changes";

  private static final String INSERT_USERS =
      "INSERT INTO metagate_users (org_id, user_id, sequence, change_micros)"
          + " SELECT o, u, 0, 0 FROM unnest($1::text[], $2::text[]) AS t(o, u) ORDER BY o, u"
          + " ON CONFLICT (org_id, user_id) DO NOTHING";
  private static final String LOCK_USERS =
      "SELECT org_id, user_id, sequence, change_micros FROM metagate_users"
          + " WHERE (org_id, user_id) IN (SELECT o, u FROM unnest($1::text[], $2::text[]) AS t(o, u))"
          + " ORDER BY org_id, user_id FOR UPDATE";
  private static final String LOAD_KEYS =
      "SELECT m.org_id, m.user_id, m.key, m.value, m.sequence, m.creation_micros, m.change_micros"
          + " FROM metagate_metadata m"
          + " JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(o, u, k)"
          + " ON m.org_id = t.o AND m.user_id = t.u AND m.key = t.k";
  // Each write is one statement over arrays, whatever the batch size: one execution instead of a
  // Bind/Execute per row costs PostgreSQL a fraction of the CPU per row. A batch names each
  // (user, key) once (BatchPlan keeps the final state), as ON CONFLICT DO UPDATE requires.
  private static final String UPSERT_KEYS =
      "INSERT INTO metagate_metadata"
          + " (org_id, user_id, key, value, sequence, creation_micros, change_micros)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::int8[],"
          + " $6::int8[], $7::int8[])"
          + " ON CONFLICT (org_id, user_id, key) DO UPDATE SET value = EXCLUDED.value,"
          + " sequence = EXCLUDED.sequence, creation_micros = EXCLUDED.creation_micros,"
          + " change_micros = EXCLUDED.change_micros";
  private static final String DELETE_KEYS =
      "DELETE FROM metagate_metadata m USING unnest($1::text[], $2::text[], $3::text[]) AS t(o, u, k)"
          + " WHERE m.org_id = t.o AND m.user_id = t.u AND m.key = t.k";
  private static final String UPDATE_USERS =
      "UPDATE metagate_users m SET sequence = t.s, change_micros = t.c"
          + " FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[]) AS t(o, u, s, c)"
          + " WHERE m.org_id = t.o AND m.user_id = t.u";
  private static final String NOTIFY =
      "SELECT pg_notify('"
          + CHANNEL
          + "', p) FROM unnest($1::text[]) WITH ORDINALITY AS t(p, n)"
          + " ORDER BY n";

  private BatchTransaction() {}

  /**
   * Runs the batch; the outcomes (a CommittedWrite or the MetagateException of a command that could
   * not apply) in batch order once committed.
   */
  static Future<List<Object>> run(SqlConnection conn, List<Pending> batch, long nowMicros) {
    Future<?> begin = conn.query("BEGIN").execute();
    Tuple users = userArrays(batch);
    Future<?> created = conn.preparedQuery(INSERT_USERS).execute(users);
    Future<RowSet<Row>> locked = conn.preparedQuery(LOCK_USERS).execute(users);
    Future<RowSet<Row>> loaded = conn.preparedQuery(LOAD_KEYS).execute(keyArrays(batch));
    return Future.all(begin, created, locked, loaded)
        .compose(
            x -> {
              BatchPlan plan = new BatchPlan(userStates(locked.result()), entries(loaded.result()));
              List<Object> outcomes = new ArrayList<>(batch.size());
              for (Pending p : batch) {
                outcomes.add(plan.apply(p.user(), p.command(), nowMicros));
              }
              return writeAndCommit(conn, plan).map(outcomes);
            });
  }

  private static Future<?> writeAndCommit(SqlConnection conn, BatchPlan plan) {
    List<Future<?>> all = new ArrayList<>();
    List<BatchPlan.Row> upserts = plan.upserts();
    if (!upserts.isEmpty()) {
      int n = upserts.size();
      String[] orgs = new String[n];
      String[] ids = new String[n];
      String[] keys = new String[n];
      Buffer[] values = new Buffer[n];
      Long[] sequences = new Long[n];
      Long[] created = new Long[n];
      Long[] changed = new Long[n];
      for (int i = 0; i < n; i++) {
        BatchPlan.Row r = upserts.get(i);
        MetadataEntry e = r.entry();
        orgs[i] = r.user().orgId();
        ids[i] = r.user().userId();
        keys[i] = r.key();
        values[i] = Buffer.buffer(e.value());
        sequences[i] = e.sequence();
        created[i] = e.creationMicros();
        changed[i] = e.changeMicros();
      }
      all.add(
          conn.preparedQuery(UPSERT_KEYS)
              .execute(
                  Tuple.tuple()
                      .addArrayOfString(orgs)
                      .addArrayOfString(ids)
                      .addArrayOfString(keys)
                      .addArrayOfBuffer(values)
                      .addArrayOfLong(sequences)
                      .addArrayOfLong(created)
                      .addArrayOfLong(changed)));
    }
    List<BatchPlan.Row> deletes = plan.deletes();
    if (!deletes.isEmpty()) {
      int n = deletes.size();
      String[] orgs = new String[n];
      String[] ids = new String[n];
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        BatchPlan.Row r = deletes.get(i);
        orgs[i] = r.user().orgId();
        ids[i] = r.user().userId();
        keys[i] = r.key();
      }
      all.add(
          conn.preparedQuery(DELETE_KEYS)
              .execute(
                  Tuple.tuple()
                      .addArrayOfString(orgs)
                      .addArrayOfString(ids)
                      .addArrayOfString(keys)));
    }
    Map<UserRef, UserState> changedUsers = plan.changedUsers();
    if (!changedUsers.isEmpty()) {
      int n = changedUsers.size();
      String[] orgs = new String[n];
      String[] ids = new String[n];
      Long[] sequences = new Long[n];
      Long[] changed = new Long[n];
      String[] notes = new String[n];
      int i = 0;
      for (Map.Entry<UserRef, UserState> e : changedUsers.entrySet()) {
        UserRef u = e.getKey();
        orgs[i] = u.orgId();
        ids[i] = u.userId();
        sequences[i] = e.getValue().sequence();
        changed[i] = e.getValue().changeMicros();
        notes[i++] = payload(u, e.getValue().sequence());
      }
      all.add(
          conn.preparedQuery(UPDATE_USERS)
              .execute(
                  Tuple.tuple()
                      .addArrayOfString(orgs)
                      .addArrayOfString(ids)
                      .addArrayOfLong(sequences)
                      .addArrayOfLong(changed)));
      all.add(conn.preparedQuery(NOTIFY).execute(Tuple.tuple().addArrayOfString(notes)));
    }
    all.add(conn.query("COMMIT").execute());
    return Future.all(all);
  }

  /** The notification text for a user's new sequence: {@code ["org","user",sequence]}. */
  static String payload(UserRef user, long sequence) {
    return new JsonArray().add(user.orgId()).add(user.userId()).add(sequence).encode();
  }

  private static Tuple userArrays(List<Pending> batch) {
    Set<UserRef> distinct = new LinkedHashSet<>();
    batch.forEach(p -> distinct.add(p.user()));
    String[] orgs = new String[distinct.size()];
    String[] ids = new String[distinct.size()];
    int i = 0;
    for (UserRef u : distinct) {
      orgs[i] = u.orgId();
      ids[i++] = u.userId();
    }
    return Tuple.tuple().addArrayOfString(orgs).addArrayOfString(ids);
  }

  private static Tuple keyArrays(List<Pending> batch) {
    Map<UserRef, Set<String>> named = new HashMap<>();
    for (Pending p : batch) {
      Set<String> keys = named.computeIfAbsent(p.user(), u -> new TreeSet<>());
      if (p.command() instanceof WriteCommand.SetKeys set) {
        set.entries().forEach((KeyValue kv) -> keys.add(kv.key()));
      } else if (p.command() instanceof WriteCommand.RemoveKeys remove) {
        keys.addAll(remove.keys());
      }
    }
    List<String> orgs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    named.forEach(
        (u, ks) ->
            ks.forEach(
                k -> {
                  orgs.add(u.orgId());
                  ids.add(u.userId());
                  keys.add(k);
                }));
    return Tuple.tuple()
        .addArrayOfString(orgs.toArray(new String[0]))
        .addArrayOfString(ids.toArray(new String[0]))
        .addArrayOfString(keys.toArray(new String[0]));
  }

  private static Map<UserRef, UserState> userStates(RowSet<Row> rows) {
    Map<UserRef, UserState> out = new HashMap<>();
    for (Row r : rows) {
      out.put(
          new UserRef(r.getString(0), r.getString(1)), new UserState(r.getLong(2), r.getLong(3)));
    }
    return out;
  }

  private static Map<UserRef, Map<String, MetadataEntry>> entries(RowSet<Row> rows) {
    Map<UserRef, Map<String, MetadataEntry>> out = new HashMap<>();
    for (Row r : rows) {
      MetadataEntry e =
          new MetadataEntry(
              r.getString(2), r.getBuffer(3).getBytes(), r.getLong(4), r.getLong(5), r.getLong(6));
      out.computeIfAbsent(new UserRef(r.getString(0), r.getString(1)), u -> new HashMap<>())
          .put(e.key(), e);
    }
    return out;
  }
}
