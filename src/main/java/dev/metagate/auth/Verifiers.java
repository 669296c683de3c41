package dev.metagate.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Factories for token verifiers. */
public final class Verifiers {
  private Verifiers() {}

  /** A JWT verifier over {@code keys}; completes once the first key fetch has been tried. */
  public static Future<TokenVerifier> jwt(
      Vertx vertx, KeySource keys, JwtSettings settings, Clock clock, Ticker ticker) {
    JwtVerifier v = new JwtVerifier(vertx, keys, settings, clock, ticker);
    return v.start().map(x -> v);
  }
}
