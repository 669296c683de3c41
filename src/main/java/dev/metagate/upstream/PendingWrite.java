package dev.metagate.upstream;

import dev.metagate.metadata.KeyValue;
import io.vertx.core.Promise;
import java.util.List;

/** One validated write waiting in its user's lane of the {@link WriteCoalescer}. */
final class PendingWrite {
  private final Credential as;
  private final String credential;
  private final String userId;
  private final List<KeyValue> entries; // sets: what they set; removes: empty
  private final UpstreamCall alone;
  private final boolean single; // a SetUserMetadata, answered with its own shape when merged
  private final int size; // entries set or keys removed, for the queue bound
  final Promise<UpstreamReply> result = Promise.promise();

  private PendingWrite(
      Credential as,
      String userId,
      List<KeyValue> entries,
      int size,
      UpstreamCall alone,
      boolean single) {
    this.as = as;
    this.credential = as.fingerprint();
    this.userId = userId;
    this.entries = List.copyOf(entries);
    this.alone = alone;
    this.single = single;
    this.size = size;
  }

  static PendingWrite set(Credential as, String userId, String key, byte[] value) {
    return new PendingWrite(
        as,
        userId,
        List.of(new KeyValue(key, value)),
        1,
        ZitadelCalls.set(as, userId, key, value),
        true);
  }

  static PendingWrite bulkSet(Credential as, String userId, List<KeyValue> entries) {
    return new PendingWrite(
        as, userId, entries, entries.size(), ZitadelCalls.bulkSet(as, userId, entries), false);
  }

  static PendingWrite remove(Credential as, String userId, String key) {
    return new PendingWrite(as, userId, List.of(), 1, ZitadelCalls.remove(as, userId, key), false);
  }

  static PendingWrite bulkRemove(Credential as, String userId, List<String> keys) {
    return new PendingWrite(
        as, userId, List.of(), keys.size(), ZitadelCalls.bulkRemove(as, userId, keys), false);
  }

  /** Sets may be merged with sets of the same credential; removes go alone. */
  boolean mergeableWith(PendingWrite head) {
    return !entries.isEmpty() && !head.entries.isEmpty() && credential.equals(head.credential);
  }

  Credential as() {
    return as;
  }

  String credential() {
    return credential;
  }

  String userId() {
    return userId;
  }

  /** Entries this write sets or keys it removes: what it counts against {@code batch.maxQueue}. */
  int size() {
    return size;
  }

  List<KeyValue> entries() {
    return entries;
  }

  long bytes() {
    long n = 0;
    for (KeyValue kv : entries) {
      n += kv.key().length() + kv.value().length;
    }
    return n;
  }

  /** The call this write makes when it is sent on its own: the caller's own request. */
  UpstreamCall alone() {
    return alone;
  }

  /** The caller's answer from the answer of the merged bulk set it went in. */
  UpstreamReply fromMerged(UpstreamReply bulk) {
    if (!single || !bulk.ok()) {
      return bulk;
    }
    try {
      return ZitadelAnswers.setAnswerFromBulk(bulk);
    } catch (RuntimeException unreadable) {
      return bulk;
    }
  }
}
