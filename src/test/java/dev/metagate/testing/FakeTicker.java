package dev.metagate.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Time that moves only when a test says so. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(System.nanoTime());

  @Override
  public long read() {
    return nanos.get();
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
