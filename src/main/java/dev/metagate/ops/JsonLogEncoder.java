package dev.metagate.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.metagate.json.JsonStrings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line, for log shippers: {@code timestamp} (RFC 3339 UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then the MDC entries and the event's key-value
 * pairs as top-level fields (a request's {@code requestId}, {@code operation}, {@code status},
 * {@code durationMs}), and {@code exception} when there is one. Logback's own JsonEncoder nests
 * those and writes the time as epoch milliseconds, which shippers then have to remap.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_FRAMES = 30;

  @Override
  public byte[] headerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] footerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return line(event).getBytes(StandardCharsets.UTF_8);
  }

  /** The event as one JSON object and a newline. */
  public static String line(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(256);
    sb.append('{');
    field(sb, "timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString()).append(',');
    field(sb, "level", event.getLevel().toString()).append(',');
    field(sb, "logger", event.getLoggerName()).append(',');
    field(sb, "thread", event.getThreadName()).append(',');
    field(sb, "message", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach((k, v) -> field(sb.append(','), k, v));
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        sb.append(',');
        if (kv.value instanceof Number n) {
          quote(sb, kv.key).append(':').append(n);
        } else {
          field(sb, kv.key, String.valueOf(kv.value));
        }
      }
    }
    if (event.getThrowableProxy() != null) {
      field(sb.append(','), "exception", throwable(event.getThrowableProxy()));
    }
    return sb.append("}\n").toString();
  }

  private static String throwable(IThrowableProxy t) {
    StringBuilder sb = new StringBuilder();
    for (IThrowableProxy p = t; p != null; p = p.getCause()) {
      if (p != t) {
        sb.append("\nCaused by: ");
      }
      sb.append(p.getClassName()).append(": ").append(p.getMessage());
      StackTraceElementProxy[] frames = p.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
        sb.append("\n\tat ").append(frames[i].getStackTraceElement());
      }
    }
    return sb.toString();
  }

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    quote(sb, name).append(':');
    return quote(sb, value);
  }

  private static StringBuilder quote(StringBuilder sb, String s) {
    return JsonStrings.quote(sb, s == null ? "" : s);
  }
}
