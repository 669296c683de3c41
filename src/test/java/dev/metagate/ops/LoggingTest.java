package dev.metagate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The two log formats: text lines with the request id, and one JSON object per line. */
class LoggingTest {
  private final LoggerContext ctx = new LoggerContext();

  private LoggingEvent event(String message, Map<String, String> mdc) {
    LoggingEvent e = new LoggingEvent();
    e.setLoggerName("dev.metagate.Some");
    e.setLevel(Level.WARN);
    e.setMessage(message);
    e.setThreadName("t-1");
    e.setTimeStamp(1_700_000_000_123L);
    e.setMDCPropertyMap(mdc);
    return e;
  }

  private String encode(String format, LoggingEvent e) {
    return new String(Logging.encoder(ctx, format).encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void json_isOneObjectPerLine_withTopLevelRequestFields() {
    LoggingEvent e = event("line one\nline \"two\"", Map.of("requestId", "r-1"));
    e.setKeyValuePairs(
        List.of(new KeyValuePair("operation", "GetUserMetadata"), new KeyValuePair("status", 404)));
    String out = encode("json", e);
    assertThat(out).endsWith("\n").doesNotContain("\r");
    assertThat(out.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(out);
    assertThat(json.getString("timestamp")).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("logger")).isEqualTo("dev.metagate.Some");
    assertThat(json.getString("message")).isEqualTo("line one\nline \"two\"");
    assertThat(json.getString("requestId")).isEqualTo("r-1");
    assertThat(json.getString("operation")).isEqualTo("GetUserMetadata");
    assertThat(json.getInteger("status")).isEqualTo(404);
  }

  @Test
  void json_escapesControlCharactersAndLoneSurrogates() {
    String out = encode("json", event("a\u0001b\ud800c", Map.of()));
    assertThat(new JsonObject(out).getString("message")).isEqualTo("a\u0001b\ud800c");
    assertThat(out).contains("\\u0001").contains("\\ud800");
  }

  @Test
  void text_showsTheRequestIdOnlyWhenThereIsOne() {
    assertThat(encode("text", event("hello", Map.of("requestId", "r-9"))))
        .contains("WARN  [t-1] dev.metagate.Some - [r-9] hello");
    assertThat(encode("text", event("hello", Map.of()))).contains("dev.metagate.Some - hello");
  }
}
