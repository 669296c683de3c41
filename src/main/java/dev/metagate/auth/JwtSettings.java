package dev.metagate.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a token must satisfy: its issuer, one of the audiences (when any are set), and its time
 * window with this much clock skew allowed; plus how often keys are refreshed.
 */
public record JwtSettings(
    String issuer,
    List<String> audience,
    Duration clockSkew,
    Duration refreshInterval,
    Duration unknownKidMinInterval) {
  public JwtSettings {
    Objects.requireNonNull(issuer, "issuer");
    audience = List.copyOf(audience);
  }
}
