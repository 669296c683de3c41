package dev.metagate.store.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and use the PostgreSQL store: the server ({@code
 * postgres://user:pass@host:port/db}), the connection pool's size, the longest a statement may run,
 * and the group-commit bounds (entries per transaction, longest wait to fill one while requests
 * keep arriving, entries queued before refusing).
 */
public record PostgresOptions(
    String url,
    int maxConnections,
    Duration statementTimeout,
    int batchMaxSize,
    Duration batchMaxDelay,
    int maxQueue) {
  public PostgresOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(statementTimeout, "statementTimeout");
    Objects.requireNonNull(batchMaxDelay, "batchMaxDelay");
    if (maxConnections < 1 || batchMaxSize < 1 || maxQueue < 1) {
      throw new IllegalArgumentException("connections, batch size and queue must be positive");
    }
    if (statementTimeout.isNegative() || statementTimeout.isZero()) {
      throw new IllegalArgumentException("statementTimeout must be positive");
    }
  }

  /** The same options with a smaller or larger write queue. */
  public PostgresOptions withMaxQueue(int entries) {
    return new PostgresOptions(
        url, maxConnections, statementTimeout, batchMaxSize, batchMaxDelay, entries);
  }
}
