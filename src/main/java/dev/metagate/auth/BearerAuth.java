package dev.metagate.auth;

import io.vertx.core.Future;

/** Reads {@code Authorization: Bearer <token>} and verifies the token. */
public final class BearerAuth {
  private static final String SCHEME = "bearer ";

  private final TokenVerifier verifier;

  public BearerAuth(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** The verified caller, or a failed future with UNAUTHENTICATED. */
  public Future<Principal> authenticate(String authorizationHeader) {
    if (authorizationHeader == null
        || authorizationHeader.length() <= SCHEME.length()
        || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Future.failedFuture(JwtVerifier.unauthenticated());
    }
    return verifier.verify(authorizationHeader.substring(SCHEME.length()).trim());
  }
}
