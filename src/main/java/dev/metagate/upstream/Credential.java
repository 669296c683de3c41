package dev.metagate.upstream;

/**
 * Who an upstream call acts as: the {@code Authorization} header to send and the organization
 * header ({@code x-zitadel-orgid}), which is null when the caller sent none and ZITADEL should use
 * the token's own organization. The request id is forwarded for tracing.
 */
public record Credential(String authorization, String orgId, String requestId) {
  /** Never shows the authorization value: records print themselves into logs too easily. */
  @Override
  public String toString() {
    return "Credential[org=" + orgId + ", requestId=" + requestId + "]";
  }
}
