package dev.metagate.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP client per event loop, so that a streamed request and its upstream connection live on
 * the same thread. A single Vert.x client pool hands any idle connection to any event loop: a
 * connection opened by loop A and leased by a request on loop B writes through A and answers
 * through B, two thread hand-offs per request, and the shared pool's waiters wait on the slowest
 * loop. Under 64 concurrent pass-through requests half of them crossed loops and waited up to 100+
 * ms for a connection at p99. A client used by one loop only opens its connections on that loop and
 * nothing crosses.
 *
 * <p>The clients are built up front (off the event loop: a TLS client loads its trust store) and
 * handed out to event loops in the order they first ask. The connection bound is split evenly
 * between them; more loops than clients share clients round-robin, still correct, only slower.
 */
final class LoopClients {
  private final List<HttpClient> clients = new ArrayList<>();
  private final Map<Thread, HttpClient> byLoop = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  LoopClients(Vertx vertx, HttpClientOptions options, int loops, int maxConnections) {
    int n = Math.max(1, loops);
    int each = Math.max(1, (maxConnections + n - 1) / n);
    for (int i = 0; i < n; i++) {
      clients.add(
          vertx
              .httpClientBuilder()
              .with(new HttpClientOptions(options))
              .with(new PoolOptions().setHttp1MaxSize(each).setHttp2MaxSize(each))
              .build());
    }
  }

  /** The client of the calling event loop. */
  HttpClient current() {
    return byLoop.computeIfAbsent(
        Thread.currentThread(),
        t -> clients.get(Math.floorMod(next.getAndIncrement(), clients.size())));
  }

  /** Any of the clients, for APIs that want one up front but are given {@link #current}. */
  HttpClient first() {
    return clients.get(0);
  }

  Future<Void> close() {
    return Future.join(clients.stream().map(HttpClient::close).toList()).mapEmpty();
  }
}
