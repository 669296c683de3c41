package dev.metagate.ops;

import dev.metagate.metadata.MetagateException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Bounds the requests being handled at once, over REST and gRPC together. Over the bound a REST
 * request is refused at once by {@code reject} (503 with Retry-After), before its body is read.
 */
public final class InFlightLimiter implements Handler<RoutingContext> {
  /** The answer to a request over the bound, whatever its protocol. */
  public static final MetagateException REFUSED =
      MetagateException.unavailable("too many requests in flight", 1);

  private final AtomicInteger inFlight = new AtomicInteger();
  private final int max;
  private final Consumer<RoutingContext> reject;

  public InFlightLimiter(int max, Consumer<RoutingContext> reject) {
    this.max = max;
    this.reject = reject;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!tryAcquire()) {
      reject.accept(ctx);
      return;
    }
    ctx.addEndHandler(v -> release());
    ctx.next();
  }

  /**
   * Counts one more request in flight, or returns false (and counts nothing) when the bound is
   * reached. For protocols outside the router (gRPC); each true must be matched by one {@link
   * #release()}.
   */
  public boolean tryAcquire() {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Ends one request counted by {@link #tryAcquire()}. */
  public void release() {
    inFlight.decrementAndGet();
  }

  /**
   * True while every slot is taken: a lock-free read for the port's first handler, which refuses
   * such a request before any other work. Racy by design; {@link #tryAcquire()} stays the bound.
   */
  public boolean full() {
    return inFlight.get() >= max;
  }

  public int inFlight() {
    return inFlight.get();
  }
}
