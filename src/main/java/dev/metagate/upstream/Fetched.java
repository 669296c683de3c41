package dev.metagate.upstream;

import dev.metagate.metadata.UserMetadata;

/**
 * The outcome of fetching a user's full metadata: the snapshot, or ZITADEL's refusal (any non-2xx
 * answer, passed back to the caller untouched). Exactly one is set.
 */
record Fetched(UserMetadata snapshot, UpstreamReply refusal) {
  static Fetched of(UserMetadata snapshot) {
    return new Fetched(snapshot, null);
  }

  static Fetched refused(UpstreamReply reply) {
    return new Fetched(null, reply);
  }
}
