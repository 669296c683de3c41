package dev.metagate.upstream;

import dev.metagate.metadata.Errors;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Sends each user's writes to ZITADEL one upstream call at a time, merging sets that queue up.
 *
 * <p><b>Design.</b> Every user with pending writes has a lane: a FIFO of writes in arrival order
 * and a flag saying the lane is being worked. The first write to an idle lane waits {@code
 * maxDelay} for company, then the lane sends its head. While that call is in flight, later writes
 * queue behind it. When it ends, the lane takes the next head and, if it is a set, every set
 * directly behind it from the same credential, up to {@code maxSize} entries and {@link
 * #MAX_BATCH_BYTES} of keys and values, and sends them as one {@code BulkSetUserMetadata}. A
 * remove, or a set of another credential, ends the batch, so writes still reach ZITADEL in the
 * order they arrived: a remove queued after a set goes after it, and the last set of a key in
 * arrival order is the one that stays. Within a merged batch a key set twice is sent once, with its
 * later value.
 *
 * <p>A batch of one is sent as the caller's own request and its answer passed back untouched. A
 * merged batch's answer goes to every caller in it: bulk callers get it as is, set callers get the
 * set shape derived from it ({@link PendingWrite#fromMerged}); an error or a failure goes to all of
 * them, as they share credential and user. The user's cache entry is invalidated when a batch is
 * sent and again when it ends, whatever the outcome. Lanes are guarded by this object's lock; no
 * upstream call is made while holding it.
 *
 * <p>Entries of all lanes, from arrival until their call ends, are bounded by {@code maxQueue}
 * ({@code batch.maxQueue}); a write that would pass it is refused at once with local mode's 503
 * "write queue is full" and Retry-After, unless nothing is pending (one large bulk still goes).
 */
final class WriteCoalescer {
  /** Keys and values in one merged call at most; one caller's bulk alone may exceed it. */
  static final long MAX_BATCH_BYTES = 2L * 1024 * 1024;

  private final Vertx vertx;
  private final UpstreamClient client;
  private final UserReads reads;
  private final int maxSize;
  private final long maxDelayMs;
  private final IntConsumer coalesced;
  private final long maxQueue;
  private long pending; // guarded by this: entries from arrival until their call ends
  private final Map<UserRef, ArrayDeque<PendingWrite>> lanes = new HashMap<>(); // guarded by this

  WriteCoalescer(
      Vertx vertx,
      UpstreamClient client,
      UserReads reads,
      int maxSize,
      Duration maxDelay,
      int maxQueue,
      IntConsumer coalesced) {
    this.vertx = vertx;
    this.client = client;
    this.reads = reads;
    this.maxSize = maxSize;
    this.maxDelayMs = maxDelay.toMillis();
    this.coalesced = coalesced;
    this.maxQueue = maxQueue;
  }

  Future<UpstreamReply> submit(UserRef user, PendingWrite write) {
    boolean idle;
    synchronized (this) {
      if (pending > 0 && pending + write.size() > maxQueue) {
        return Future.failedFuture(Errors.queueFull());
      }
      pending += write.size();
      ArrayDeque<PendingWrite> lane = lanes.get(user);
      idle = lane == null;
      if (idle) {
        lane = new ArrayDeque<>();
        lanes.put(user, lane);
      }
      lane.add(write);
    }
    if (idle) {
      if (maxDelayMs > 0) {
        vertx.setTimer(maxDelayMs, id -> drain(user));
      } else {
        drain(user);
      }
    }
    return write.result.future();
  }

  /** Sends the lane's batches one after the other until it is empty, then retires it. */
  private void drain(UserRef user) {
    while (true) {
      List<PendingWrite> batch = next(user);
      if (batch.isEmpty()) {
        return;
      }
      Future<Void> sent = send(user, batch);
      if (!sent.isComplete()) {
        sent.onComplete(x -> drain(user));
        return;
      }
    }
  }

  private synchronized List<PendingWrite> next(UserRef user) {
    ArrayDeque<PendingWrite> lane = lanes.get(user);
    PendingWrite head = lane.poll();
    if (head == null) {
      lanes.remove(user);
      return List.of();
    }
    List<PendingWrite> batch = new ArrayList<>();
    batch.add(head);
    int entries = head.entries().size();
    long bytes = head.bytes();
    PendingWrite w;
    while ((w = lane.peek()) != null
        && w.mergeableWith(head)
        && entries + w.entries().size() <= maxSize
        && bytes + w.bytes() <= MAX_BATCH_BYTES) {
      batch.add(lane.poll());
      entries += w.entries().size();
      bytes += w.bytes();
    }
    return batch;
  }

  private Future<Void> send(UserRef user, List<PendingWrite> batch) {
    PendingWrite head = batch.get(0);
    UpstreamCall call =
        batch.size() == 1
            ? head.alone()
            : ZitadelCalls.bulkSet(head.as(), head.userId(), merged(batch));
    if (batch.size() > 1) {
      coalesced.accept(batch.size() - 1);
    }
    long stamp = reads.stamp();
    reads.invalidate(user);
    return client
        .send(call)
        .transform(
            ar -> {
              reads.invalidate(user);
              if (ar.succeeded()) {
                reads.answered(head.credential(), user, stamp, ar.result().status());
              }
              done(batch);
              for (PendingWrite w : batch) {
                if (ar.failed()) {
                  w.result.fail(ar.cause());
                } else {
                  w.result.complete(batch.size() == 1 ? ar.result() : w.fromMerged(ar.result()));
                }
              }
              return Future.succeededFuture();
            });
  }

  private synchronized void done(List<PendingWrite> batch) {
    for (PendingWrite w : batch) {
      pending -= w.size();
    }
  }

  /** The batch's entries in arrival order, each key once with its last value. */
  private static List<KeyValue> merged(List<PendingWrite> batch) {
    Map<String, KeyValue> byKey = new LinkedHashMap<>();
    for (PendingWrite w : batch) {
      for (KeyValue kv : w.entries()) {
        byKey.remove(kv.key());
        byKey.put(kv.key(), kv);
      }
    }
    return List.copyOf(byKey.values());
  }
}
