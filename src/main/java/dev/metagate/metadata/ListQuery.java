package dev.metagate.metadata;

import java.util.Objects;

/**
 * Paging of a list request. {@code limit} 0 means {@link #DEFAULT_LIMIT}. The Management API (v1)
 * orders by key ascending whatever {@code asc} says (its metadata list has no sorting column); the
 * v2 User service orders by creation date, descending unless {@code asc}.
 */
public record ListQuery(long offset, long limit, boolean asc, Order order) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final ListQuery DEFAULT = new ListQuery(0, 0, false);

  /** The order results are paged in. */
  public enum Order {
    /** By key ascending; {@code asc} has no effect. */
    KEY,
    /** By creation date (ties by key), ascending when {@code asc}, else descending. */
    CREATION_DATE
  }

  public ListQuery {
    Objects.requireNonNull(order, "order");
  }

  /** A v1 page: ordered by key. */
  public ListQuery(long offset, long limit, boolean asc) {
    this(offset, limit, asc, Order.KEY);
  }

  /** The number of results a page holds at most. */
  public int effectiveLimit() {
    return limit == 0 ? DEFAULT_LIMIT : (int) Math.min(limit, MAX_LIMIT);
  }
}
