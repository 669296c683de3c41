package dev.metagate.store;

/** Told about each successful group commit, on the committing thread; must be quick. */
@FunctionalInterface
public interface CommitObserver {
  CommitObserver NONE = (entries, nanos) -> {};

  /** A commit of {@code entries} queued entries took {@code nanos}, fsync included. */
  void committed(int entries, long nanos);
}
