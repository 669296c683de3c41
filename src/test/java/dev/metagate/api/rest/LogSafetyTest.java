package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.metagate.auth.DevIssuer;
import dev.metagate.config.Sections.Auth;
import dev.metagate.ops.JsonLogEncoder;
import dev.metagate.ops.Logging;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.LogCapture;
import dev.metagate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * With the access log on and every logger at DEBUG, a burst of real traffic (every endpoint, bad
 * and good tokens, big values, rejected requests) leaves no token, no token fragment, no dev-issuer
 * key material and no metadata value in any log line, as text or as the JSON lines a shipper sees.
 * The access lines themselves carry what they should.
 */
@ExtendWith(Invariants.class)
class LogSafetyTest {
  private static final String SECRET_VALUE = "s3cr3t-value-" + UUID.randomUUID();
  private static final String BIG_MARKER = "BIGVALUE-MARKER-";
  private static TestGateway gw;
  private static DevIssuer dev;
  private static String token;
  private static final List<String> TOKENS = new ArrayList<>();
  private static final List<String> VALUES_SENT = new ArrayList<>();
  private static List<String> lines;
  private static List<ILoggingEvent> events;

  @BeforeAll
  static void burst() throws IOException {
    gw = TestGateway.start(null, Map.of("METAGATE_LOG_ACCESS", "true"));
    dev = DevIssuer.loadOrCreate(gw.dir());
    token = issue("owner", "dev-org", List.of("ORG_OWNER"), Duration.ofMinutes(5));
    TOKENS.add(token);
    Map<String, Level> saved = raiseToDebug("ROOT", "io.netty", "io.vertx");
    int mark = LogCapture.mark();
    try {
      traffic();
    } finally {
      restore(saved);
    }
    // the end handler (access line) runs after the client has its answer: let it land
    sleep(200);
    events = LogCapture.since(mark);
    lines = new ArrayList<>();
    for (ILoggingEvent e : events) {
      lines.add(JsonLogEncoder.line(e));
      lines.add(e.getFormattedMessage());
    }
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static void traffic() {
    String user = "log-user";
    String v = b64(SECRET_VALUE);
    byte[] big = BIG_MARKER.repeat(500_000 / BIG_MARKER.length()).getBytes(StandardCharsets.UTF_8);
    String bigB64 = Base64.getEncoder().encodeToString(big);
    VALUES_SENT.add(v);
    VALUES_SENT.add(bigB64.substring(0, 64));
    String v1 = "/management/v1/users/" + user + "/metadata";
    String v2 = "/v2/users/" + user + "/metadata";
    send("POST", v1 + "/_bulk", token, entries("k1", v, "big", bigB64));
    send("POST", v1 + "/k2", token, "{\"value\":\"" + v + "\"}");
    send("GET", v1 + "/k1", token, null);
    send("POST", v1 + "/_search", token, "{}");
    send("DELETE", v1 + "/k2", token, null);
    send("DELETE", v1 + "/_bulk", token, "{\"keys\":[\"big\"]}");
    send("POST", v2, token, entries("k3", v));
    send("POST", v2 + "/search", token, "{}");
    send("DELETE", v2 + "?keys=k3&keys=k1", token, null);
    // rejected: too big, bad base64, bad JSON, oversized body, unknown path, wrong method
    String tooBig = Base64.getEncoder().encodeToString(new byte[500_001]);
    send("POST", v2, token, entries("k4", tooBig));
    send("POST", v2, token, entries("k5", "!!" + SECRET_VALUE + "!!"));
    send("POST", v1 + "/k6", token, "{\"value\":\"" + v + "\"");
    send("POST", v1 + "/k7", token, "{\"value\":\"" + b64(new byte[1_100_000]) + "\"}");
    send("GET", "/nowhere", token, null);
    send("PUT", v2, token, entries("k8", v));
    // bad tokens
    String[] parts = token.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    String garbage = "garbage." + UUID.randomUUID() + ".token";
    String expired = issue("owner", "dev-org", List.of("ORG_OWNER"), Duration.ofSeconds(-3600));
    String otherOrg = issue("stranger", "other-org", List.of("ORG_OWNER"), Duration.ofMinutes(5));
    String huge = token + "x".repeat(17_000);
    TOKENS.addAll(List.of(tampered, garbage, expired, otherOrg));
    for (String bad : List.of(tampered, garbage, expired, otherOrg, huge)) {
      send("POST", v2, bad, entries("k9", v));
      send("POST", v1 + "/_search", bad, "{}");
    }
    send("POST", v2, "", entries("k9", v));
  }

  @Test
  void noTokenNorTokenFragment_inAnyLine() {
    for (String t : TOKENS) {
      for (String part : t.split("\\.")) {
        if (part.length() >= 8) {
          assertNowhere(part);
        }
      }
      assertNowhere(t);
    }
    assertNowhere("Bearer ");
  }

  @Test
  void noDevIssuerKeyMaterial_inAnyLine() throws IOException {
    String pem = Files.readString(gw.dir().resolve(DevIssuer.KEY_FILE));
    assertNowhere("PRIVATE KEY");
    for (String line : pem.split("\n")) {
      if (!line.startsWith("-----") && line.length() >= 16) {
        assertNowhere(line.strip());
      }
    }
  }

  @Test
  void noMetadataValue_inAnyLine() {
    assertNowhere(SECRET_VALUE);
    assertNowhere(BIG_MARKER);
    for (String v : VALUES_SENT) {
      assertNowhere(v);
    }
  }

  @Test
  void everyRequest_hasOneAccessLine_withoutQuery() {
    List<ILoggingEvent> access = accessEvents();
    assertThat(access).hasSizeGreaterThanOrEqualTo(26);
    assertThat(access).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("?"));
    assertThat(access)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("DELETE /v2/users/log-user/metadata 200 ")
                    .contains("op=user.v2.DeleteUserMetadata"));
    assertThat(access)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("GET /management/v1/users/log-user/metadata/k1 200 ")
                    .contains("op=GetUserMetadata"));
  }

  @Test
  void accessLine_asJson_hasTheRequestFields() {
    ILoggingEvent e = accessEvents().get(0);
    JsonObject json = new JsonObject(JsonLogEncoder.line(e).strip());
    assertThat(json.fieldNames())
        .contains(
            "timestamp",
            "level",
            "logger",
            "message",
            "requestId",
            "operation",
            "method",
            "path",
            "status",
            "durationMs");
    assertThat(json.getString("logger")).isEqualTo(Logging.ACCESS_LOGGER);
    assertThat(json.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.getValue("status")).isInstanceOf(Integer.class);
  }

  @Test
  void requestId_isEchoed_andOnTheAccessLine() {
    int mark = LogCapture.mark();
    var r =
        gw.http()
            .call("POST", "/v2/users/id-user/metadata/search")
            .token(token)
            .header("x-request-id", "trace-7f3a")
            .body("{}")
            .send();
    var generated = gw.http().call("POST", "/v2/users/id-user/metadata/search").token(token).send();
    sleep(200);
    assertThat(r.header("x-request-id")).isEqualTo("trace-7f3a");
    String id = generated.header("x-request-id");
    assertThat(id).isNotBlank();
    List<Object> ids =
        LogCapture.since(mark).stream()
            .filter(e -> e.getLoggerName().equals(Logging.ACCESS_LOGGER))
            .flatMap(e -> e.getKeyValuePairs().stream())
            .filter(kv -> kv.key.equals(Logging.REQUEST_ID))
            .map(kv -> kv.value)
            .toList();
    assertThat(ids).contains("trace-7f3a", id);
  }

  private static List<ILoggingEvent> accessEvents() {
    return events.stream().filter(e -> e.getLoggerName().equals(Logging.ACCESS_LOGGER)).toList();
  }

  private static void assertNowhere(String secret) {
    for (String line : lines) {
      assertThat(line).as("a log line holds a secret").doesNotContain(secret);
    }
  }

  private static Http.Response send(String method, String path, String bearer, String body) {
    Http.Call call = gw.http().call(method, path).body(body);
    if (bearer != null) {
      call.header("authorization", "Bearer " + bearer);
    }
    return call.send();
  }

  private static String entries(String... keysAndBase64) {
    StringBuilder sb = new StringBuilder("{\"metadata\":[");
    for (int i = 0; i < keysAndBase64.length; i += 2) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"key\":\"")
          .append(keysAndBase64[i])
          .append("\",\"value\":\"")
          .append(keysAndBase64[i + 1])
          .append("\"}");
    }
    return sb.append("]}").toString();
  }

  private static String issue(String sub, String org, List<String> roles, Duration ttl) {
    return dev.issue(gw.gateway().vertx(), Auth.DEV_ISSUER, sub, org, roles, ttl);
  }

  private static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static Map<String, Level> raiseToDebug(String... names) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<String, Level> saved = new HashMap<>();
    for (String n : names) {
      ch.qos.logback.classic.Logger l = ctx.getLogger(n);
      saved.put(n, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
    return saved;
  }

  private static void restore(Map<String, Level> saved) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    saved.forEach((n, level) -> ctx.getLogger(n).setLevel(level));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
