package dev.metagate.store.postgres;

import dev.metagate.metadata.Errors;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a user's full metadata with one statement, so the sequence and the entries come from one
 * snapshot of the database.
 */
final class SnapshotLoader {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoader.class);
  private static final String LOAD =
      "SELECT u.sequence, u.change_micros,"
          + " m.key, m.value, m.sequence, m.creation_micros, m.change_micros"
          + " FROM metagate_users u LEFT JOIN metagate_metadata m"
          + " ON m.org_id = u.org_id AND m.user_id = u.user_id"
          + " WHERE u.org_id = $1 AND u.user_id = $2";

  private final Pool pool;
  private final Reachability reachability;

  SnapshotLoader(Pool pool, Reachability reachability) {
    this.pool = pool;
    this.reachability = reachability;
  }

  CompletionStage<UserMetadata> load(UserRef user) {
    return pool.preparedQuery(LOAD)
        .execute(Tuple.of(user.orgId(), user.userId()))
        .map(rows -> snapshot(user, rows))
        .otherwise(
            err -> {
              if (Failures.outage(err)) {
                reachability.failed(err);
              } else if (!Failures.overload(err)) {
                LOG.error("reading metadata failed: {}", Failures.describe(err));
              }
              throw Errors.storeUnavailable();
            })
        .onSuccess(x -> reachability.succeeded())
        .toCompletionStage();
  }

  private static UserMetadata snapshot(UserRef user, RowSet<Row> rows) {
    long sequence = 0;
    long lastChange = 0;
    List<MetadataEntry> entries = new ArrayList<>();
    for (Row r : rows) {
      sequence = r.getLong(0);
      lastChange = r.getLong(1);
      String key = r.getString(2);
      if (key != null) {
        entries.add(
            new MetadataEntry(
                key, r.getBuffer(3).getBytes(), r.getLong(4), r.getLong(5), r.getLong(6)));
      }
    }
    return UserMetadata.of(user, sequence, lastChange, entries);
  }
}
