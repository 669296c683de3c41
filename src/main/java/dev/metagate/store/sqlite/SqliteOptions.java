package dev.metagate.store.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open the SQLite store: the file, and the group-commit bounds (entries per commit, longest
 * wait to fill a commit while requests keep arriving, entries queued before refusing).
 */
public record SqliteOptions(
    Path path, int batchMaxSize, Duration batchMaxDelay, int maxQueue, int readerThreads) {
  public SqliteOptions {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(batchMaxDelay, "batchMaxDelay");
    if (batchMaxSize < 1 || maxQueue < 1 || readerThreads < 1) {
      throw new IllegalArgumentException("batch size, queue and reader threads must be positive");
    }
  }
}
