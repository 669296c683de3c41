package dev.metagate.upstream;

import dev.metagate.metadata.UserMetadata;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads of a user's full metadata in upstream mode: from the cache when the credential may see it,
 * otherwise one upstream listing shared by every concurrent miss of the same credential for the
 * same user (single flight).
 *
 * <p>Writes race with listings: a listing that was in flight when a write was sent or completed may
 * show the state before the write, so {@link #invalidate} marks it stale. A stale listing still
 * answers the readers that joined it (they asked before the write was acknowledged), but is neither
 * stored nor joined by later readers. Marking, finishing and storing happen under one lock, so no
 * stale listing can be stored after the invalidation that should have dropped it.
 */
final class UserReads {
  private final FullList lister;
  private final SnapshotCache cache;
  private final Map<UserRef, Map<String, Flight>> flights = new HashMap<>(); // guarded by this

  /** One listing in flight. */
  private static final class Flight {
    final Promise<Fetched> result = Promise.promise();
    final long stamp;
    boolean stale; // guarded by UserReads.this

    Flight(long stamp) {
      this.stamp = stamp;
    }
  }

  UserReads(FullList lister, SnapshotCache cache) {
    this.lister = lister;
    this.cache = cache;
  }

  /** The user's metadata as {@code as} may see it, or ZITADEL's refusal of {@code as}. */
  Future<Fetched> read(Credential as, UserRef user) {
    String credential = as.fingerprint();
    UserMetadata cached = cache.lookup(user, credential);
    if (cached != null) {
      return Future.succeededFuture(Fetched.of(cached));
    }
    Flight flight;
    synchronized (this) {
      Map<String, Flight> mine = flights.computeIfAbsent(user, k -> new HashMap<>());
      Flight current = mine.get(credential);
      if (current != null && !current.stale) {
        return current.result.future();
      }
      flight = new Flight(cache.stamp());
      mine.put(credential, flight);
    }
    lister
        .fetch(as, user)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                landed(user, credential, flight, ar.result());
              } else {
                finished(user, credential, flight);
              }
              flight.result.handle(ar);
            });
    return flight.result.future();
  }

  /** Drops the user's snapshot, and makes listings in flight unfit to be stored or joined. */
  synchronized void invalidate(UserRef user) {
    Map<String, Flight> mine = flights.get(user);
    if (mine != null) {
      mine.values().forEach(f -> f.stale = true);
    }
    cache.invalidate(user);
  }

  /** {@link #invalidate} for the user {@code userId} under every org header it is cached with. */
  synchronized void invalidateUser(String userId) {
    flights.forEach(
        (user, mine) -> {
          if (user.userId().equals(userId)) {
            mine.values().forEach(f -> f.stale = true);
          }
        });
    cache.invalidateIf((user, snapshot) -> user.userId().equals(userId));
  }

  /** {@link #invalidate} for every user cached under {@code orgId} or owned by it. */
  synchronized void invalidateOrg(String orgId) {
    // a listing in flight without org header may be for a user of that org: mark those too
    flights.forEach(
        (user, mine) -> {
          if (user.orgId().equals(orgId) || user.orgId().isEmpty()) {
            mine.values().forEach(f -> f.stale = true);
          }
        });
    cache.invalidateIf(
        (user, snapshot) -> user.orgId().equals(orgId) || snapshot.user().orgId().equals(orgId));
  }

  /** {@link #invalidate} for every user. */
  synchronized void invalidateAll() {
    flights.values().forEach(mine -> mine.values().forEach(f -> f.stale = true));
    cache.invalidateAll();
  }

  /** A stamp to take as an upstream call starts, for {@link #answered}. */
  long stamp() {
    return cache.stamp();
  }

  /** Records what ZITADEL said about a credential in any call for the user. */
  void answered(String credential, UserRef user, long stamp, int status) {
    if (status >= 200 && status < 300) {
      cache.confirm(credential, user, stamp);
    } else if (status == 401 || status == 403) {
      cache.reject(credential, user);
    }
  }

  private synchronized void landed(UserRef user, String credential, Flight f, Fetched fetched) {
    finished(user, credential, f);
    if (fetched.snapshot() != null) {
      if (!f.stale) {
        cache.store(user, fetched.snapshot());
      }
      answered(credential, user, f.stamp, 200);
    } else {
      answered(credential, user, f.stamp, fetched.refusal().status());
    }
  }

  private synchronized void finished(UserRef user, String credential, Flight f) {
    Map<String, Flight> mine = flights.get(user);
    if (mine != null && mine.get(credential) == f) {
      mine.remove(credential);
      if (mine.isEmpty()) {
        flights.remove(user);
      }
    }
  }
}
