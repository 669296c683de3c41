package dev.metagate.api.rest;

import static dev.metagate.api.rest.BadInputCorpus.entries;
import static dev.metagate.api.rest.BadInputCorpus.entry;
import static dev.metagate.api.rest.BadInputCorpus.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.RawHttp;
import dev.metagate.testing.StoreSnapshot;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The positive side of the bad-input corpus: inputs at the edge of the rules, or merely unusual,
 * that api.md accepts. Each must be stored exactly as given and read back unchanged.
 */
@ExtendWith(Invariants.class)
class BadInputOddButValidTest {
  private static final String EMOJI = "\uD83D\uDE00";

  private static TestIssuer issuer;
  private static TestGateway gw;
  private static TestGateway tight;
  private static String token;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    gw = TestGateway.start(issuer);
    tight = TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_BODY_SIZE", "64KiB"));
    token = issuer.token("admin", "org1", "ORG_OWNER");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (tight != null) {
      tight.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void set_key200Chars_isStored() {
    assertSetAndReadBack("u-k200", "k".repeat(200), bytes("v"));
  }

  @Test
  void set_key200EmojiInPath_isStored_lengthCountsCodePoints() {
    assertSetAndReadBack("u-emoji", EMOJI.repeat(200), bytes("v"));
  }

  @Test
  void bulkSet_key200EmojiInJson_isStored() {
    String key = EMOJI.repeat(200);
    Http.Response r = post(path("u-emoji-bulk", "_bulk"), entries(entry(key, b64(bytes("v")))));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertReadBack("u-emoji-bulk", key, bytes("v"));
  }

  @Test
  void set_value500000Bytes_isStoredByteForByte() {
    byte[] value = new byte[500_000];
    new Random(7).nextBytes(value);
    assertSetAndReadBack("u-v500k", "big", value);
  }

  @Test
  void set_userId200Chars_isAccepted() {
    assertSetAndReadBack("u".repeat(200), "k", bytes("v"));
  }

  @Test
  void set_userIdAndKeyOf200FourByteCharsEach_fitTheRequestLine() {
    assertSetAndReadBack(EMOJI.repeat(200), EMOJI.repeat(200), bytes("v"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\u0645\u0641\u062A\u0627\u062D", // Arabic, right to left
        "\u202Eevil\u202C", // explicit RTL override characters
        "e\u0301\u0301\u0301", // combining accents
        "\uD83D\uDC69\u200D\uD83D\uDCBB", // emoji joined with ZWJ
        "a/b", // sent as a%2Fb
        "a+b", // a plus stays a plus
        "a b", // sent as %20
        "100%", // sent as %25
        "_bulk_", // not the reserved word
        "_Search", // case differs from the reserved word
        "\t\u00A0", // whitespace only
        "\uFEFFbom"
      })
  void oddButValidKey_isStoredAndReadBackExactly(String key) {
    assertSetAndReadBack("u-odd", key, bytes("odd " + key));
  }

  @Test
  void plusInPath_isAPlusNotASpace() {
    Http.Response r = post("/management/v1/users/u-plus/metadata/a+b", value(b64(bytes("p"))));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertReadBack("u-plus", "a+b", bytes("p"));
    assertThat(get(path("u-plus", "a%20b")).status()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "NONE",
      value = {"NONE", "text/plain", "application/json; charset=utf-8", "application/x-ndjson"})
  void contentType_otherThanGrpc_isJson(String contentType) {
    Http.Call call =
        gw.http().call("POST", path("u-ctype", "k")).token(token).body(value(b64(bytes("c"))));
    if (contentType != null) {
      call.header("content-type", contentType);
    }
    Http.Response r = call.send();
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/+8=", "/+8", "_-8=", "_-8"})
  void base64Variants_decodeToTheSameBytes(String encoded) {
    String user = "u-b64-" + Math.abs(encoded.hashCode());
    Http.Response r = post(path(user, "k"), value(encoded));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertReadBack(user, "k", new byte[] {(byte) 0xFF, (byte) 0xEF});
  }

  @Test
  void bulkSet_10000Entries_storesAll() {
    StringBuilder sb = new StringBuilder("{\"metadata\":[");
    for (int i = 0; i < 10_000; i++) {
      sb.append(i == 0 ? "" : ",").append(entry(String.format("k%05d", i), b64(bytes("v" + i))));
    }
    Http.Response r = post(path("u-many", "_bulk"), sb.append("]}").toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonObject list = post(path("u-many", "_search"), "{\"query\":{\"limit\":1000}}").json();
    assertThat(list.getJsonObject("details").getString("totalResult")).isEqualTo("10000");
    assertThat(list.getJsonArray("result")).hasSize(1000);
  }

  @Test
  void unknownFieldsAndSnakeCase_areAccepted() {
    String body =
        "{\"unknown\":{\"deep\":[1,2,{}]},\"metadata\":[{\"key\":\"k\",\"value\":\""
            + b64(bytes("s"))
            + "\",\"extra\":null}]}";
    assertThat(post(path("u-unknown", "_bulk"), body).status()).isEqualTo(200);
    Http.Response list =
        post(
            path("u-unknown", "_search"),
            "{\"query\":{\"offset\":\"0\",\"limit\":1000,\"asc\":false},"
                + "\"queries\":[{\"key_query\":{\"key\":\"K\",\"method\":1}}],\"x\":1}");
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(list.json().getJsonArray("result")).hasSize(1);
  }

  @Test
  void search_maximalOffset_isAcceptedAndEmpty() {
    Http.Response r =
        post(path("u-offset", "_search"), "{\"query\":{\"offset\":\"9223372036854775807\"}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().containsKey("result")).isFalse();
  }

  @Test
  void bodyOfExactly64KiB_isAcceptedByTheTightGateway() {
    String head = "{\"value\":\"" + b64(bytes("t")) + "\",\"pad\":\"";
    String body = head + "p".repeat(64 * 1024 - head.length() - 2) + "\"}";
    assertThat(body.length()).isEqualTo(64 * 1024);
    Http.Response r =
        tight.http().call("POST", path("u-tight", "k")).token(token).body(body).send();
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void rawUtf8BytesInPath_areTheUtf8Key() {
    byte[] target =
        ("/management/v1/users/u-raw/metadata/k\u00FC").getBytes(StandardCharsets.UTF_8);
    Http.Response r =
        RawHttp.send(
            gw.gateway().apiPort(),
            "POST",
            target,
            List.of("authorization", "Bearer " + token, "content-type", "application/json"),
            bytes(value(b64(bytes("raw")))),
            false);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertReadBack("u-raw", "k\u00FC", bytes("raw"));
  }

  private static void assertSetAndReadBack(String user, String key, byte[] value) {
    Http.Response r = post(path(user, UrlPath.encode(key)), value(b64(value)));
    assertThat(r.status()).as("set %s: %s", key, r).isEqualTo(200);
    assertReadBack(user, key, value);
  }

  /** The key reads back through Get and List, and is stored in SQLite exactly as given. */
  private static void assertReadBack(String user, String key, byte[] value) {
    Http.Response got = get(path(user, UrlPath.encode(key)));
    assertThat(got.status()).as("get %s: %s", key, got).isEqualTo(200);
    JsonObject metadata = got.json().getJsonObject("metadata");
    assertThat(metadata.getString("key")).isEqualTo(key);
    assertThat(Base64.getDecoder().decode(metadata.getString("value"))).isEqualTo(value);
    JsonObject list = post(path(user, "_search"), "{\"query\":{\"limit\":1000}}").json();
    assertThat(list.getJsonArray("result").stream().map(e -> ((JsonObject) e).getString("key")))
        .contains(key);
    String row = "user_id=" + user + " | key=" + key + " | value=x'";
    assertThat(StoreSnapshot.of(gw.databaseFile()).metadata()).anyMatch(m -> m.contains(row));
  }

  private static Http.Response post(String path, String body) {
    return gw.http().call("POST", path).token(token).body(body).send();
  }

  private static Http.Response get(String path) {
    return gw.http().get(path, token);
  }

  private static String path(String user, String encodedKey) {
    return "/management/v1/users/" + UrlPath.encode(user) + "/metadata/" + encodedKey;
  }

  private static String b64(byte[] value) {
    return Base64.getEncoder().encodeToString(value);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
