package dev.metagate.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.format} and {@code log.level} to Logback once the config is known: text lines,
 * or one JSON object per line ({@link JsonLogEncoder}).
 */
public final class Logging {
  /** The request id (MDC {@code requestId}) in brackets when a line belongs to a request. */
  private static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} -"
          + " %replace([%X{requestId}] ){'^\\[\\] $', ''}%msg%n";

  /** The access log's logger: one INFO line per API request when {@code log.access} is on. */
  public static final String ACCESS_LOGGER = "metagate.access";

  /** The MDC key of the request id on lines logged while a request is handled. */
  public static final String REQUEST_ID = "requestId";

  private Logging() {}

  public static void configure(String format, String level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    Encoder<ILoggingEvent> encoder = encoder(ctx, format);
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName("console");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  /** The started encoder for {@code log.format}: {@code json} or text. */
  static Encoder<ILoggingEvent> encoder(LoggerContext ctx, String format) {
    Encoder<ILoggingEvent> encoder;
    if (format.equals("json")) {
      encoder = new JsonLogEncoder();
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(PATTERN);
      encoder = text;
    }
    encoder.setContext(ctx);
    encoder.start();
    return encoder;
  }
}
