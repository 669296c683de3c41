package dev.metagate.metadata;

/**
 * ZITADEL's {@code zitadel.object.v1.ObjectDetails}: the event sequence and times of an object.
 * Times are microseconds since the epoch; 0 means "not set" and is left out on the wire.
 */
public record Details(
    long sequence, long creationMicros, long changeMicros, String resourceOwner) {}
