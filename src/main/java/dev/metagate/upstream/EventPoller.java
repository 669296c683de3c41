package dev.metagate.upstream;

import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops cached snapshots as soon as ZITADEL's event search shows a change that bypassed metagate
 * ({@code upstream.events}): a user event drops that user's entry, {@code org.removed} every entry
 * of the org.
 *
 * <p><b>Design.</b> The cursor is ZITADEL's own creation date of the newest event applied, so no
 * clock of metagate's is compared with ZITADEL's. The first poll only learns the newest event (the
 * baseline) and drops the whole cache, since what was cached before may predate it. Each later poll
 * asks for events younger than the cursor minus {@link #OVERLAP} (a transaction that commits late
 * can carry an older creation date) and skips the ones it already applied; a full page is followed
 * by the next one at once. A failed poll drops the whole cache, as invalidations may have been
 * missed, and keeps the cursor, so the next successful poll replays what happened meanwhile. Polls
 * never overlap: the next is scheduled when one ends.
 */
final class EventPoller {
  private static final Logger LOG = LoggerFactory.getLogger(EventPoller.class);
  static final int PAGE = 1000;
  private static final int MAX_PAGES = 10;
  static final Duration OVERLAP = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final UpstreamClient client;
  private final UserReads reads;
  private final ServiceCredential as;
  private final long intervalMs;
  private final Map<String, Instant> applied = new HashMap<>(); // ids within OVERLAP of cursor
  private Instant cursor; // null until the baseline
  private boolean failing;
  private volatile boolean closed;
  private volatile long timer = -1;

  EventPoller(
      Vertx vertx,
      UpstreamClient client,
      UserReads reads,
      ServiceCredential as,
      Duration interval) {
    this.vertx = vertx;
    this.client = client;
    this.reads = reads;
    this.as = as;
    this.intervalMs = Math.max(1, interval.toMillis());
  }

  void start() {
    schedule();
  }

  void close() {
    closed = true;
    vertx.cancelTimer(timer);
  }

  private void schedule() {
    if (!closed) {
      timer = vertx.setTimer(intervalMs, id -> poll().onComplete(x -> schedule()));
    }
  }

  private Future<Void> poll() {
    Future<Void> done = cursor == null ? baseline() : page(cursor.minus(OVERLAP), 0);
    return done.transform(
        ar -> {
          if (ar.succeeded()) {
            recovered();
          } else {
            failed(ar.cause());
          }
          return Future.succeededFuture();
        });
  }

  private Future<Void> baseline() {
    return events(null, 1, false)
        .map(
            events -> {
              cursor = events.isEmpty() ? Instant.EPOCH : events.get(0).at();
              reads.invalidateAll();
              return null;
            });
  }

  private Future<Void> page(Instant from, int n) {
    return events(from, PAGE, true)
        .compose(
            events -> {
              apply(events);
              if (events.size() < PAGE || n + 1 >= MAX_PAGES) {
                return Future.succeededFuture();
              }
              Instant last = events.get(events.size() - 1).at();
              if (!last.isAfter(from)) { // a page of one instant: cannot page past it by date
                reads.invalidateAll();
                cursor = last.plusNanos(1000);
                return Future.succeededFuture();
              }
              return page(last, n + 1);
            });
  }

  private Future<List<ZitadelEvents.Event>> events(Instant from, int limit, boolean asc) {
    if (!as.ready()) {
      return Future.failedFuture(new IllegalStateException("metagate holds no service token yet"));
    }
    return client
        .send(ZitadelEvents.search(as.as(null, null), from, limit, asc))
        .compose(
            reply ->
                reply.ok()
                    ? Future.succeededFuture(ZitadelEvents.parse(reply.body()))
                    : Future.failedFuture(
                        new IllegalStateException("ZITADEL answered " + reply.status())));
  }

  private void apply(List<ZitadelEvents.Event> events) {
    for (ZitadelEvents.Event e : events) {
      if (applied.putIfAbsent(e.id(), e.at()) != null) {
        continue;
      }
      if (e.orgRemoved()) {
        reads.invalidateOrg(e.aggregateId());
      } else {
        // cached under the org header the callers sent: the user's org, or none
        reads.invalidate(new UserRef(e.resourceOwner(), e.aggregateId()));
        reads.invalidate(new UserRef("", e.aggregateId()));
      }
      if (e.at().isAfter(cursor)) {
        cursor = e.at();
      }
    }
    Instant keep = cursor.minus(OVERLAP);
    applied.values().removeIf(at -> at.isBefore(keep));
  }

  private void recovered() {
    if (failing) {
      failing = false;
      LOG.info("ZITADEL's event search answers again; cached snapshots are kept again");
    }
  }

  private void failed(Throwable t) {
    reads.invalidateAll();
    if (!failing && !closed) {
      failing = true;
      LOG.warn(
          "ZITADEL's event search failed ({}): the upstream cache is dropped after every failed"
              + " poll until it works (metagate's service user needs IAM_OWNER_VIEWER)",
          t.getMessage());
    }
  }
}
