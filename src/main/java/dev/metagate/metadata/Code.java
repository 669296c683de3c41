package dev.metagate.metadata;

/** The gRPC status codes metagate answers with; the number is the wire value. */
public enum Code {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  NOT_FOUND(5),
  ALREADY_EXISTS(6),
  PERMISSION_DENIED(7),
  RESOURCE_EXHAUSTED(8),
  FAILED_PRECONDITION(9),
  ABORTED(10),
  OUT_OF_RANGE(11),
  UNIMPLEMENTED(12),
  INTERNAL(13),
  UNAVAILABLE(14),
  DATA_LOSS(15),
  UNAUTHENTICATED(16);

  private final int number;

  Code(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** The code numbered {@code number} (0–16), or null for any other number. */
  public static Code ofNumber(int number) {
    for (Code c : values()) {
      if (c.number == number) {
        return c;
      }
    }
    return null;
  }
}
