package dev.metagate.api;

import dev.metagate.auth.BearerAuth;
import dev.metagate.auth.Policy;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.MetagateException;
import dev.metagate.upstream.Credential;
import dev.metagate.upstream.ServiceCredential;
import io.vertx.core.Future;

/**
 * Who an upstream-mode metadata call acts as, whatever its protocol: in passthrough mode the
 * caller's own {@code authorization} and {@code x-zitadel-orgid} (ZITADEL checks them); in token
 * mode the caller is authenticated and authorized here, as in local mode, and ZITADEL is called
 * with metagate's service credential and the organization picked for the caller (UNAVAILABLE while
 * metagate holds no service token, e.g. before its key was first exchanged). REST headers and gRPC
 * metadata feed it the same strings, so both protocols reach {@link
 * dev.metagate.upstream.UpstreamMetadata} alike.
 */
public final class UpstreamCredentials {
  private final BearerAuth auth;
  private final Policy policy;
  private final ServiceCredential service;

  /**
   * {@code auth} null means passthrough credentials; otherwise token mode acting as {@code
   * service}.
   */
  public UpstreamCredentials(BearerAuth auth, Policy policy, ServiceCredential service) {
    this.auth = auth;
    this.policy = policy;
    this.service = service;
  }

  /**
   * The credential for {@code action} on {@code userId}; in token mode fails with UNAUTHENTICATED
   * or PERMISSION_DENIED before anything is sent upstream.
   */
  public Future<Credential> of(
      String authorization, String orgHeader, String requestId, Action action, String userId) {
    if (auth == null) {
      return Future.succeededFuture(new Credential(authorization, orgHeader, requestId));
    }
    return auth.authenticate(authorization)
        .map(
            caller -> {
              String org = CallPipeline.orgOf(orgHeader, caller);
              policy.check(caller, action, org, userId);
              Credential as = service.as(org, requestId);
              if (as.authorization() == null) {
                throw MetagateException.unavailable(
                    "metagate has no access token for ZITADEL yet", 1);
              }
              return as;
            });
  }
}
