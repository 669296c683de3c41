package dev.metagate.metadata;

/** The ZITADEL business errors of the metadata API, with the ids and texts ZITADEL uses. */
public final class Errors {
  private Errors() {}

  public static MetagateException emptyBulk() {
    return MetagateException.withId(
        Code.FAILED_PRECONDITION, "META-9mm2d", "Metadata list is empty");
  }

  public static MetagateException invalidEntry() {
    return MetagateException.withId(Code.INVALID_ARGUMENT, "META-2m00f", "Metadata is invalid");
  }

  public static MetagateException removeNotFound() {
    return MetagateException.withId(Code.NOT_FOUND, "META-ncnw3", "Metadata not found");
  }

  public static MetagateException bulkRemoveNotFound() {
    return MetagateException.withId(Code.NOT_FOUND, "META-2nnds", "One or more keys do not exist");
  }

  public static MetagateException getNotFound() {
    return MetagateException.withId(Code.NOT_FOUND, "QUERY-Rgh32", "Metadata not found");
  }

  public static MetagateException queueFull() {
    return MetagateException.unavailable("write queue is full, retry later", 1);
  }

  public static MetagateException storeUnavailable() {
    return MetagateException.unavailable("metadata store is unavailable", 1);
  }
}
