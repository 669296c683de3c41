package dev.metagate.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The readiness checks of the process: named conditions that must all hold, plus a flag that is off
 * until startup completes and off again once shutdown begins.
 */
public final class Health {
  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
  private volatile boolean serving;

  /** Adds a named readiness condition. */
  public synchronized Health check(String name, BooleanSupplier condition) {
    checks.put(name, condition);
    return this;
  }

  public void serving(boolean on) {
    serving = on;
  }

  public boolean ready() {
    return serving && states().values().stream().allMatch(b -> b);
  }

  /** Every check with its current state, "serving" first. */
  public synchronized Map<String, Boolean> states() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    out.put("serving", serving);
    checks.forEach((name, c) -> out.put(name, c.getAsBoolean()));
    return out;
  }
}
