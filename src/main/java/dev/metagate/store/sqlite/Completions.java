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
 * Completes the futures of one commit's requests, one task per caller executor, each in queue
 * order. Requests without an executor, and those whose executor refuses work (shutting down), are
 * completed on the calling thread.
 */
final class Completions {
  private Completions() {}

  /** {@code outcomes.get(i)} is the CommittedWrite or MetagateException of {@code batch.get(i)}. */
  static void deliver(List<Pending> batch, List<Object> outcomes) {
    Map<Executor, List<Integer>> byExecutor = null;
    for (int i = 0; i < batch.size(); i++) {
      Executor e = batch.get(i).executor();
      if (e == null) {
        complete(batch.get(i), outcomes.get(i));
        continue;
      }
      if (byExecutor == null) {
        byExecutor = new IdentityHashMap<>();
      }
      byExecutor.computeIfAbsent(e, x -> new ArrayList<>()).add(i);
    }
    if (byExecutor == null) {
      return;
    }
    for (Map.Entry<Executor, List<Integer>> group : byExecutor.entrySet()) {
      List<Integer> indexes = group.getValue();
      Runnable task =
          () -> {
            for (int i : indexes) {
              complete(batch.get(i), outcomes.get(i));
            }
          };
      try {
        group.getKey().execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
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
