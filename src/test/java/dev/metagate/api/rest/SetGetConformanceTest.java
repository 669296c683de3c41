package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.details;
import static dev.metagate.api.rest.Wire.entry;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.masked;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code POST} and {@code GET /management/v1/users/{userId}/metadata/{key}}: SetUserMetadata and
 * GetUserMetadata, including how keys travel in the path.
 */
class SetGetConformanceTest extends SharedGateway {

  @Test
  void set_newKey_returnsDetailsWithCreationDateAndNoChangeDate() {
    var r = owner.setText(newUser(), "k", "v");
    assertThat(masked(r, 200)).isEqualTo(details("creationDate", 1, ORG));
    assertThat(json(r, 200).getJsonObject("details").fieldNames())
        .containsExactlyInAnyOrder("sequence", "creationDate", "resourceOwner");
  }

  @Test
  void get_afterSet_returnsEntryWithAllDetails() {
    String user = newUser();
    String setAt = date(owner.setText(user, "k", "hi"), "creationDate");
    var got = json(owner.get(user, "k"), 200);
    assertThat(masked(got)).isEqualTo(new JsonObject().put("metadata", entry("k", "aGk=", 1, ORG)));
    JsonObject d = got.getJsonObject("metadata").getJsonObject("details");
    assertThat(d.getString("creationDate")).isEqualTo(setAt);
    assertThat(d.getString("changeDate")).isEqualTo(setAt);
  }

  @Test
  void get_afterUpdate_keepsCreationDateAndShowsLatestChange() {
    String user = newUser();
    String created = date(owner.setText(user, "k", "v1"), "creationDate");
    owner.setText(user, "other", "x");
    var update = owner.setText(user, "k", "v2");
    assertThat(masked(update, 200)).isEqualTo(details("creationDate", 3, ORG));
    String changed = date(update, "creationDate");
    var got = json(owner.get(user, "k"), 200);
    assertThat(masked(got))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("v2"), 3, ORG)));
    JsonObject d = got.getJsonObject("metadata").getJsonObject("details");
    assertThat(d.getString("creationDate")).isEqualTo(created);
    assertThat(d.getString("changeDate")).isEqualTo(changed);
    assertThat(Instant.parse(changed)).isAfter(Instant.parse(created));
  }

  @Test
  void get_afterRemoveAndSetAgain_creationDateIsTheNewSet() {
    String user = newUser();
    String first = date(owner.setText(user, "k", "v1"), "creationDate");
    json(owner.remove(user, "k"), 200);
    String again = date(owner.setText(user, "k", "v1"), "creationDate");
    var got = json(owner.get(user, "k"), 200);
    assertThat(masked(got))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("v1"), 3, ORG)));
    JsonObject d = got.getJsonObject("metadata").getJsonObject("details");
    assertThat(d.getString("creationDate")).isEqualTo(again);
    assertThat(d.getString("changeDate")).isEqualTo(again);
    assertThat(Instant.parse(again)).isAfter(Instant.parse(first));
  }

  @Test
  void set_unchangedValue_returnsCurrentSequenceAndLastChange() {
    String user = newUser();
    owner.setText(user, "k", "v");
    String last = date(owner.setText(user, "j", "w"), "creationDate");
    var same = owner.setText(user, "k", "v");
    assertThat(masked(same, 200)).isEqualTo(details("creationDate", 2, ORG));
    assertThat(date(same, "creationDate")).isEqualTo(last);
    assertThat(masked(owner.get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("v"), 1, ORG)));
  }

  @Test
  void set_urlSafeUnpaddedBase64_isReturnedAsPaddedStandard() {
    String user = newUser();
    json(owner.set(user, "k", "{\"value\":\"-_8\"}"), 200);
    assertThat(value(user, "k")).isEqualTo("+/8=");
  }

  @Test
  void set_valueAtEveryPaddingLength_roundTrips() {
    String user = newUser();
    for (String v : new String[] {"a", "ab", "abc", "abcd"}) {
      String unpadded = b64(v).replace("=", "");
      json(owner.set(user, v, new JsonObject().put("value", unpadded).encode()), 200);
      assertThat(value(user, v)).isEqualTo(b64(v));
    }
  }

  @Test
  void set_value500000Bytes_isStored() {
    String user = newUser();
    String value = b64(new byte[500_000]);
    json(owner.set(user, "k", new JsonObject().put("value", value).encode()), 200);
    assertThat(value(user, "k")).isEqualTo(value);
  }

  @Test
  void set_key200Chars_isStored() {
    String user = newUser();
    String key = "k".repeat(200);
    assertThat(masked(owner.setText(user, key, "v"), 200))
        .isEqualTo(details("creationDate", 1, ORG));
    assertThat(json(owner.get(user, key), 200).getJsonObject("metadata").getString("key"))
        .isEqualTo(key);
  }

  @Test
  void set_key200FourByteRunes_isStored() {
    // the limit counts runes (code points), not UTF-16 units or bytes
    String user = newUser();
    String key = "\uD83D\uDE00".repeat(200);
    json(owner.setText(user, key, "v"), 200);
    assertThat(json(owner.get(user, key), 200).getJsonObject("metadata").getString("key"))
        .isEqualTo(key);
  }

  @Test
  void set_userId200Chars_isStored() {
    String user = "u".repeat(200);
    json(owner.setText(user, "k", "v"), 200);
    assertThat(value(user, "k")).isEqualTo(b64("v"));
  }

  @Test
  void pathKey_encodedSlash_isTheKeyWithASlash() {
    String user = newUser();
    var set = owner.raw("POST", V1.USERS + user + "/metadata/a%2Fb", "{\"value\":\"dg==\"}");
    json(set, 200);
    var got = json(owner.raw("GET", V1.USERS + user + "/metadata/a%2fb", null), 200);
    assertThat(got.getJsonObject("metadata").getString("key")).isEqualTo("a/b");
    var listed = json(owner.list(user, "{}"), 200);
    assertThat(listed.getJsonArray("result").getJsonObject(0).getString("key")).isEqualTo("a/b");
  }

  @Test
  void pathKey_bulkSetKeyWithSlash_isReadableThroughEncodedPath() {
    String user = newUser();
    json(owner.bulkSetText(user, "dir/file", "v"), 200);
    var got = json(owner.raw("GET", V1.USERS + user + "/metadata/dir%2Ffile", null), 200);
    assertThat(masked(got))
        .isEqualTo(new JsonObject().put("metadata", entry("dir/file", b64("v"), 1, ORG)));
  }

  @Test
  void pathKey_plusSpaceAndPercent_areDecodedAsInAPath() {
    String user = newUser();
    json(owner.raw("POST", V1.USERS + user + "/metadata/a+b%20c%25d", "{\"value\":\"dg==\"}"), 200);
    assertThat(json(owner.get(user, "a+b c%d"), 200).getJsonObject("metadata").getString("key"))
        .isEqualTo("a+b c%d");
  }

  @Test
  void pathKey_unicode_roundTripsThroughPathAndBody() {
    String user = newUser();
    String key = "ключ-\u00e9-\u2713-\uD83D\uDE00";
    json(owner.setText(user, key, "v"), 200);
    var got = json(owner.get(user, key), 200);
    assertThat(masked(got))
        .isEqualTo(new JsonObject().put("metadata", entry(key, b64("v"), 1, ORG)));
    json(owner.bulkSetText(user, "日本", "x"), 200);
    assertThat(value(user, "日本")).isEqualTo(b64("x"));
  }

  @Test
  void pathUserId_encoded_isDecoded() {
    String user = "user@example.com/" + newUser();
    json(owner.setText(user, "k", "v"), 200);
    assertThat(value(user, "k")).isEqualTo(b64("v"));
  }

  @Test
  void get_unknownKey_returns404QueryRgh32() {
    String user = newUser();
    owner.setText(user, "k", "v");
    assertThat(json(owner.get(user, "missing"), 404))
        .isEqualTo(error(5, "QUERY-Rgh32", "Metadata not found"));
  }

  @Test
  void get_unknownUser_returns404QueryRgh32() {
    assertThat(json(owner.get(newUser(), "k"), 404))
        .isEqualTo(error(5, "QUERY-Rgh32", "Metadata not found"));
  }

  @Test
  void get_keyIsCaseSensitive() {
    String user = newUser();
    owner.setText(user, "Key", "v");
    json(owner.get(user, "key"), 404);
  }

  private static String value(String user, String key) {
    return json(owner.get(user, key), 200).getJsonObject("metadata").getString("value");
  }

  private static String date(dev.metagate.testing.Http.Response r, String field) {
    return json(r, 200).getJsonObject("details").getString(field);
  }
}
