package dev.metagate.upstream;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one upstream call as up to {@code 1 + retries} attempts, all within one deadline of {@code
 * timeout}: the caller gets an answer within the timeout, however the attempts went. A read is
 * retried after a transport failure or a 502/503/504; a write only when its connection could not be
 * opened, since otherwise ZITADEL may have applied it. Backoff is "full jitter" exponential, never
 * longer than the time left.
 */
final class Attempts {
  private static final long BASE_BACKOFF_MS = 20;

  private final Vertx vertx;
  private final WebClient web;
  private final UpstreamOptions options;

  Attempts(Vertx vertx, WebClient web, UpstreamOptions options) {
    this.vertx = vertx;
    this.web = web;
    this.options = options;
  }

  Future<UpstreamReply> run(UpstreamCall call) {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    return attempt(call, 0, deadline);
  }

  private Future<UpstreamReply> attempt(UpstreamCall call, int n, long deadline) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (leftMs <= 0) {
      return Future.failedFuture(new TimeoutException("upstream deadline passed"));
    }
    return once(call, leftMs)
        .transform(
            ar -> {
              boolean again =
                  ar.succeeded()
                      ? !call.write() && Failures.retryableStatus(ar.result().status())
                      : retryable(call, ar.cause());
              if (again && n < options.retries()) {
                long pause = backoffMs(n);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) < deadline) {
                  return sleep(pause).compose(x -> attempt(call, n + 1, deadline));
                }
              }
              return ar.succeeded()
                  ? Future.succeededFuture(ar.result())
                  : Future.failedFuture(ar.cause());
            });
  }

  private static boolean retryable(UpstreamCall call, Throwable t) {
    if (Failures.timedOut(t)) {
      return false; // the deadline is spent
    }
    return !call.write() || Failures.notSent(t);
  }

  private Future<UpstreamReply> once(UpstreamCall call, long leftMs) {
    HttpRequest<Buffer> req =
        web.request(call.method(), options.basePath() + call.uri())
            .putHeaders(call.headers())
            .timeout(leftMs);
    Future<HttpResponse<Buffer>> sent;
    if (call.body() != null) {
      if (!call.headers().contains(HttpHeaders.CONTENT_TYPE)) {
        req.putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json");
      }
      sent = req.sendBuffer(call.body());
    } else {
      sent = req.send();
    }
    return sent.timeout(leftMs, TimeUnit.MILLISECONDS).map(Attempts::reply);
  }

  private static UpstreamReply reply(HttpResponse<Buffer> r) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(r.headers());
    Buffer body = r.body() != null ? r.body() : Buffer.buffer();
    return new UpstreamReply(r.statusCode(), headers, body);
  }

  private static long backoffMs(int n) {
    long cap = BASE_BACKOFF_MS << Math.min(n, 10);
    return 1 + ThreadLocalRandom.current().nextLong(cap);
  }

  private Future<Void> sleep(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }
}
