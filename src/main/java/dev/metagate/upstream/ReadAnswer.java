package dev.metagate.upstream;

/**
 * The answer to a read in upstream mode: a value from the user's snapshot with the organization
 * that owns the user (for the REST layer to render as ZITADEL does), or ZITADEL's own refusal to
 * pass back untouched. Exactly one of {@code value} and {@code refusal} is set.
 */
public record ReadAnswer<T>(T value, String resourceOwner, UpstreamReply refusal) {
  static <T> ReadAnswer<T> of(T value, String resourceOwner) {
    return new ReadAnswer<>(value, resourceOwner, null);
  }

  static <T> ReadAnswer<T> refused(UpstreamReply reply) {
    return new ReadAnswer<>(null, null, reply);
  }
}
