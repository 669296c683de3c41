package dev.metagate.store.postgres;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Sorts database failures into the ones to retry, the expected outages and real faults. */
final class Failures {
  private Failures() {}

  /** A serialization failure or deadlock: the transaction may simply be run again. */
  static boolean retryable(Throwable t) {
    String state = sqlState(t);
    return "40001".equals(state) || "40P01".equals(state);
  }

  /**
   * The database cannot be reached or is going away (connection refused or lost, timeouts, the
   * server shutting down, too many connections): an outage to report as unavailable, not a fault.
   */
  static boolean outage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException
          || c instanceof ClosedConnectionException
          || c instanceof TimeoutException) {
        return true;
      }
    }
    String state = sqlState(t);
    return state != null
        && (state.startsWith("08")
            || state.startsWith("57")
            || state.startsWith("53")
            || state.startsWith("40"));
  }

  /** Too many requests already wait for a pooled connection: overload, answered 503 quietly. */
  static boolean overload(Throwable t) {
    return t instanceof ConnectionPoolTooBusyException;
  }

  /** What to log: the class and SQLSTATE or message, never parameters or values. */
  static String describe(Throwable t) {
    String state = sqlState(t);
    if (state != null) {
      return "SQLSTATE " + state + " (" + ((PgException) t).getErrorMessage() + ")";
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static String sqlState(Throwable t) {
    return t instanceof PgException pg ? pg.getSqlState() : null;
  }
}
