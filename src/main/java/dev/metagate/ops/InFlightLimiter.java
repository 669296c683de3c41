package dev.metagate.ops;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Bounds the requests being handled at once. Over the bound a request is refused at once by {@code
 * reject} (503 with Retry-After), before its body is read.
 */
public final class InFlightLimiter implements Handler<RoutingContext> {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int max;
  private final Consumer<RoutingContext> reject;

  public InFlightLimiter(int max, Consumer<RoutingContext> reject) {
    this.max = max;
    this.reject = reject;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      reject.accept(ctx);
      return;
    }
    ctx.addEndHandler(v -> inFlight.decrementAndGet());
    ctx.next();
  }

  public int inFlight() {
    return inFlight.get();
  }
}
