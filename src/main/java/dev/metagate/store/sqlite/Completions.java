package dev.metagate.store.sqlite;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.MetagateException;
import dev.metagate.store.sqlite.GroupCommitWriter.Pending;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Completes the futures of one commit's requests: one task per caller thread, which completes its
 * requests in queue order, each entered as its caller. Requests without a caller, and those whose
 * thread refuses work (shutting down), are completed on the calling thread.
 */
final class Completions {
  private Completions() {}

  /** {@code outcomes.get(i)} is the CommittedWrite or MetagateException of {@code batch.get(i)}. */
  static void deliver(List<Pending> batch, List<Object> outcomes) {
    Map<Executor, List<Integer>> byThread = null;
    for (int i = 0; i < batch.size(); i++) {
      Caller c = batch.get(i).caller();
      if (c == null) {
        complete(batch.get(i), outcomes.get(i));
        continue;
      }
      if (byThread == null) {
        byThread = new IdentityHashMap<>();
      }
      byThread.computeIfAbsent(c.thread(), x -> new ArrayList<>()).add(i);
    }
    if (byThread == null) {
      return;
    }
    for (Map.Entry<Executor, List<Integer>> group : byThread.entrySet()) {
      List<Integer> indexes = group.getValue();
      try {
        group.getKey().execute(() -> completeAsCallers(batch, outcomes, indexes));
      } catch (RejectedExecutionException e) {
        for (int i : indexes) {
          complete(batch.get(i), outcomes.get(i));
        }
      }
    }
  }

  private static void completeAsCallers(
      List<Pending> batch, List<Object> outcomes, List<Integer> indexes) {
    for (int i : indexes) {
      Pending p = batch.get(i);
      Object outcome = outcomes.get(i);
      p.caller().enter().accept(() -> complete(p, outcome));
    }
  }

  private static void complete(Pending p, Object outcome) {
    if (outcome instanceof CommittedWrite w) {
      p.result().complete(w);
    } else {
      p.result().completeExceptionally((MetagateException) outcome);
    }
  }
}
