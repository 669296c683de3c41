package dev.metagate.upstream;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.Errors;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetadataPage;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.Requests;
import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Upstream mode's metadata: validate locally, then read through {@link UserReads} and write through
 * {@link WriteCoalescer}. Users are keyed by the organization header as the caller sent it ("" for
 * none) and the user id.
 */
final class SidecarMetadata implements UpstreamMetadata {
  private final UpstreamClient client;
  private final SnapshotCache cache;
  private final UserReads reads;
  private final WriteCoalescer writes;
  private final EventPoller events; // null unless upstream.events is on

  SidecarMetadata(
      Vertx vertx, UpstreamClient client, SidecarOptions o, Ticker ticker, IntConsumer coalesced) {
    this.client = client;
    this.cache = new SnapshotCache(o.cacheMaxBytes(), o.cacheTtl(), o.permissionTtl(), ticker);
    this.reads = new UserReads(new FullList(client), cache);
    this.writes =
        new WriteCoalescer(
            vertx,
            client,
            reads,
            o.batchMaxSize(),
            o.batchMaxDelay(),
            o.batchMaxQueue(),
            coalesced);
    this.events =
        o.eventsInterval() == null
            ? null
            : new EventPoller(vertx, client, reads, o.eventsAs(), o.eventsInterval());
    if (events != null) {
      events.start();
    }
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
  }

  @Override
  public Future<UpstreamReply> bulkSet(Credential as, String userId, List<KeyValue> entries) {
    return checked(() -> Requests.bulkSet(userId, entries))
        .compose(x -> write(as, PendingWrite.bulkSet(as, userId, entries)));
  }

  @Override
  public Future<UpstreamReply> set(Credential as, String userId, String key, byte[] value) {
    return checked(() -> Requests.set(userId, key, value))
        .compose(x -> write(as, PendingWrite.set(as, userId, key, value)));
  }

  @Override
  public Future<UpstreamReply> remove(Credential as, String userId, String key) {
    return checked(() -> Requests.remove(userId, key))
        .compose(x -> write(as, PendingWrite.remove(as, userId, key)));
  }

  @Override
  public Future<UpstreamReply> bulkRemove(Credential as, String userId, List<String> keys) {
    return checked(() -> Requests.bulkRemove(userId, keys))
        .compose(x -> write(as, PendingWrite.bulkRemove(as, userId, keys)));
  }

  @Override
  public Future<ReadAnswer<MetadataEntry>> get(Credential as, String userId, String key) {
    return checked(() -> Requests.get(userId, key))
        .compose(
            x ->
                read(
                    as,
                    userId,
                    s -> {
                      MetadataEntry e = s.get(key);
                      if (e == null) {
                        throw Errors.getNotFound();
                      }
                      return e;
                    }));
  }

  @Override
  public Future<ReadAnswer<MetadataPage>> list(
      Credential as, String userId, ListQuery page, List<KeyQuery> queries) {
    return checked(() -> Requests.list(userId, page, queries))
        .compose(x -> read(as, userId, s -> s.list(page, queries)));
  }

  @Override
  public Future<UpstreamReply> setV2(Credential as, String userId, List<KeyValue> entries) {
    return writeV2(userId, ZitadelCalls.setV2(as, userId, entries));
  }

  @Override
  public Future<UpstreamReply> deleteV2(Credential as, String userId, List<String> keys) {
    return writeV2(userId, ZitadelCalls.deleteV2(as, userId, keys));
  }

  @Override
  public Future<UpstreamReply> listV2(Credential as, String userId, Buffer body) {
    return client.send(ZitadelCalls.listV2(as, userId, body));
  }

  /**
   * A v2 write is neither merged nor cached (its answer has v2's shape); it drops the user's
   * snapshots, whatever org header they were cached under, at send and at completion.
   */
  private Future<UpstreamReply> writeV2(String userId, UpstreamCall call) {
    reads.invalidateUser(userId);
    return client.send(call).onComplete(x -> reads.invalidateUser(userId));
  }

  @Override
  public UpstreamCacheStats cacheStats() {
    return cache;
  }

  private Future<UpstreamReply> write(Credential as, PendingWrite w) {
    return writes.submit(user(as, w.userId()), w);
  }

  private <T> Future<ReadAnswer<T>> read(
      Credential as, String userId, Function<UserMetadata, T> answer) {
    return reads
        .read(as, user(as, userId))
        .map(
            f ->
                f.refusal() != null
                    ? ReadAnswer.refused(f.refusal())
                    : ReadAnswer.of(answer.apply(f.snapshot()), f.snapshot().user().orgId()));
  }

  private static UserRef user(Credential as, String userId) {
    return new UserRef(as.orgId() == null ? "" : as.orgId(), userId);
  }

  /** The rules' verdict as a future: failed with their exception, or succeeded. */
  private static Future<Void> checked(Runnable rules) {
    try {
      rules.run();
      return Future.succeededFuture();
    } catch (MetagateException e) {
      return Future.failedFuture(e);
    }
  }
}
