package dev.metagate.metadata;

import java.util.Objects;

/**
 * The one failure type that reaches a caller: a gRPC code, an optional ZITADEL error id and a
 * message. Each protocol maps it to its wire form in exactly one place.
 */
public final class MetagateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Code code;
  private final String id;
  private final String text;
  private final long retryAfterSeconds;

  private MetagateException(Code code, String id, String text, long retryAfterSeconds) {
    super(id == null ? text : text + " (" + id + ")", null, false, false);
    this.code = Objects.requireNonNull(code);
    this.id = id;
    this.text = Objects.requireNonNull(text);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A ZITADEL business error: the message reads {@code "text (ID)"} and carries details. */
  public static MetagateException withId(Code code, String id, String text) {
    return new MetagateException(code, Objects.requireNonNull(id), text, 0);
  }

  /** An error without a ZITADEL id, such as a field-validation failure. */
  public static MetagateException of(Code code, String text) {
    return new MetagateException(code, null, text, 0);
  }

  /** An overload rejection that tells the client when to come back. */
  public static MetagateException unavailable(String text, long retryAfterSeconds) {
    return new MetagateException(Code.UNAVAILABLE, null, text, retryAfterSeconds);
  }

  public static MetagateException invalidArgument(String text) {
    return of(Code.INVALID_ARGUMENT, text);
  }

  public Code code() {
    return code;
  }

  /** The ZITADEL error id, or null when the error has none. */
  public String id() {
    return id;
  }

  /** The message without the id suffix. */
  public String text() {
    return text;
  }

  /** Seconds for a {@code Retry-After} header, or 0 when none applies. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
