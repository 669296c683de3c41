package dev.metagate.metadata;

/**
 * Paging of a list request. {@code limit} 0 means {@link #DEFAULT_LIMIT}; results are always
 * ordered by key ascending, so {@code asc} is accepted and has no effect (as in ZITADEL, where
 * metadata lists have no sorting column).
 */
public record ListQuery(long offset, long limit, boolean asc) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final ListQuery DEFAULT = new ListQuery(0, 0, false);

  /** The number of results a page holds at most. */
  public int effectiveLimit() {
    return limit == 0 ? DEFAULT_LIMIT : (int) Math.min(limit, MAX_LIMIT);
  }
}
