package dev.metagate.metadata;

import java.util.Objects;

/** A user as the store and cache see it: the organization that owns it and its id. */
public record UserRef(String orgId, String userId) {
  public UserRef {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(userId, "userId");
  }

  /** Bytes this reference costs in a cache entry. */
  public int weight() {
    return 2 * (orgId.length() + userId.length()) + 32;
  }
}
