package dev.metagate.store.postgres;

import dev.metagate.metadata.UserMetadataCache;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's cache coherent with other instances' commits: LISTENs on a dedicated
 * connection and drops a user's snapshot when a newer sequence is notified.
 *
 * <p>Notifications sent while the connection is down are lost, so from the moment it is lost the
 * cache is bypassed (reads go to the database) until the connection is back, LISTEN is active again
 * and the whole cache has been cleared. A connection that is closed or killed is noticed at once;
 * one that silently stops answering is noticed by a heartbeat query, so stale reads last at most
 * {@link #HEARTBEAT_MS} plus {@link #HEARTBEAT_TIMEOUT_MS} after notifications stop arriving.
 */
final class ChangeListener {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
  static final long HEARTBEAT_MS = 1_000;
  static final long HEARTBEAT_TIMEOUT_MS = 1_000;
  private static final long RECONNECT_DELAY_MS = 250;
  static final String APPLICATION_NAME = "metagate-listener";

  private final Vertx vertx;
  private final UserMetadataCache cache;
  private final PgSubscriber subscriber;
  private volatile boolean listening;
  private volatile boolean closed;
  private long heartbeat = -1;

  ChangeListener(Vertx vertx, PgConnectOptions options, UserMetadataCache cache) {
    this.vertx = vertx;
    this.cache = cache;
    PgConnectOptions own =
        new PgConnectOptions(options).addProperty("application_name", APPLICATION_NAME);
    this.subscriber = PgSubscriber.subscriber(vertx, own);
    subscriber.reconnectPolicy(
        attempts -> {
          lost();
          return closed ? -1L : RECONNECT_DELAY_MS;
        });
    subscriber
        .channel(BatchTransaction.CHANNEL)
        .subscribeHandler(v -> resynchronized())
        .handler(this::notified);
  }

  /** Connects and starts the heartbeat; the cache is bypassed until LISTEN is active. */
  void start() {
    cache.bypass(true);
    connect();
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> beat());
  }

  /** True while notifications are being received and the cache may be used. */
  boolean listening() {
    return listening;
  }

  private void connect() {
    subscriber
        .connect()
        .onFailure(
            err -> {
              // the subscriber retries lost connections, but not a first connect that failed
              lost();
              subscriber.close();
              if (!closed) {
                vertx.setTimer(RECONNECT_DELAY_MS, t -> connect());
              }
            });
  }

  private void beat() {
    PgConnection conn = subscriber.actualConnection();
    if (conn == null) {
      return;
    }
    conn.query("SELECT 1")
        .execute()
        .timeout(HEARTBEAT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(
            err -> {
              LOG.warn("change notification connection does not answer, reconnecting");
              conn.close();
            });
  }

  private void lost() {
    if (listening && !closed) {
      LOG.warn(
          "change notification connection lost: reading through to the database until it is back");
    }
    listening = false;
    cache.bypass(true);
  }

  private void resynchronized() {
    cache.invalidateAll();
    listening = true;
    cache.bypass(false);
    LOG.info("listening for other instances' changes; cache in use");
  }

  private void notified(String payload) {
    try {
      JsonArray a = new JsonArray(payload);
      cache.changed(new UserRef(a.getString(0), a.getString(1)), a.getLong(2));
    } catch (DecodeException | ClassCastException | IndexOutOfBoundsException e) {
      LOG.warn("ignoring a malformed change notification ({} chars)", payload.length());
    }
  }

  void close() {
    closed = true;
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    subscriber.close();
  }
}
