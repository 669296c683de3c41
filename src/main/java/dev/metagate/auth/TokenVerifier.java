package dev.metagate.auth;

import io.vertx.core.Future;

/** Turns a bearer token into a verified {@link Principal}, or fails with UNAUTHENTICATED. */
public interface TokenVerifier {
  Future<Principal> verify(String token);

  /** Stops background key refreshes. */
  default void close() {}
}
