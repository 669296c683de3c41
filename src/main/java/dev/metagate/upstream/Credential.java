package dev.metagate.upstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Who an upstream call acts as: the {@code Authorization} header to send and the organization
 * header ({@code x-zitadel-orgid}), which is null when the caller sent none and ZITADEL should use
 * the token's own organization. The request id is forwarded for tracing.
 */
public record Credential(String authorization, String orgId, String requestId) {
  /**
   * Names this credential without revealing it: a SHA-256 of the authorization value and the
   * organization header. The cache and the coalescer key on it, so no raw token is kept anywhere.
   */
  public String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(nullSafe(authorization).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(nullSafe(orgId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String nullSafe(String s) {
    return s == null ? "\u0001none" : s;
  }

  /** Never shows the authorization value: records print themselves into logs too easily. */
  @Override
  public String toString() {
    return "Credential[org=" + orgId + ", requestId=" + requestId + "]";
  }
}
