package dev.metagate.upstream;

/** Told the outcome of every upstream call, e.g. to count it. */
@FunctionalInterface
public interface UpstreamListener {
  /** Outcomes: ok, rejected (4xx), failed (5xx), timeout, unreachable, circuit_open. */
  void outcome(String operation, String outcome);

  /** A listener that ignores everything. */
  static UpstreamListener none() {
    return (op, outcome) -> {};
  }
}
