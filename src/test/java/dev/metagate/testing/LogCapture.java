package dev.metagate.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** A Logback appender (wired in logback-test.xml) that keeps every event for assertions. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  private static final List<ILoggingEvent> EVENTS = new ArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    synchronized (EVENTS) {
      EVENTS.add(event);
    }
  }

  /** A mark to read events from later. */
  public static int mark() {
    synchronized (EVENTS) {
      return EVENTS.size();
    }
  }

  /** Events since {@code mark}. */
  public static List<ILoggingEvent> since(int mark) {
    synchronized (EVENTS) {
      return new ArrayList<>(EVENTS.subList(Math.min(mark, EVENTS.size()), EVENTS.size()));
    }
  }

  /** Every event of the run, formatted, for the "no secret in any log line" check. */
  public static List<String> allFormatted() {
    synchronized (EVENTS) {
      List<String> out = new ArrayList<>();
      for (ILoggingEvent e : EVENTS) {
        out.add(
            e.getLoggerName()
                + " "
                + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
      }
      return out;
    }
  }

  static boolean isProblem(ILoggingEvent e) {
    return e.getLevel().isGreaterOrEqual(Level.ERROR)
        || e.getFormattedMessage().contains("has been blocked for");
  }
}
