package dev.metagate.upstream;

import io.vertx.core.Vertx;

/**
 * metagate's own credential for ZITADEL (token mode and the event search): a personal access token
 * ({@code upstream.token}), or access tokens obtained and renewed with a service-user key ({@code
 * upstream.keyFile}, ZITADEL's JWT profile grant).
 */
public interface ServiceCredential {
  /** The {@code Authorization} value to send, or null while none is held. */
  String authorization();

  /** True while a credential is held; readiness reflects it. */
  default boolean ready() {
    return authorization() != null;
  }

  /** Starts obtaining the credential, and keeps renewing it until {@link #close}. */
  default void start() {}

  default void close() {}

  /** The credential as whom an upstream call goes; null authorization while none is held. */
  default Credential as(String orgId, String requestId) {
    return new Credential(authorization(), orgId, requestId);
  }

  /** A personal access token: held from the start, never renewed. */
  static ServiceCredential token(String pat) {
    String authorization = "Bearer " + pat;
    return () -> authorization;
  }

  /** Access tokens for the service user of {@code key}, from ZITADEL's token endpoint. */
  static ServiceCredential key(
      Vertx vertx, UpstreamClient client, UpstreamOptions options, ServiceKey key) {
    return new JwtProfileLogin(vertx, client, options, key);
  }
}
