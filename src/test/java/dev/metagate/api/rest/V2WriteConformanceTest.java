package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.TS;
import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.masked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v2/users/{userId}/metadata} (SetUserMetadata) and {@code DELETE
 * /v2/users/{userId}/metadata?keys=…} (DeleteUserMetadata) of the v2 User service.
 */
class V2WriteConformanceTest extends SharedGateway {
  private static final JsonObject EMPTY_LIST = error(9, "META-9mm2d", "Metadata list is empty");
  private static final JsonObject NOT_FOUND =
      error(5, "META-2nnds", "One or more keys do not exist");
  private static V2 v2;

  @BeforeAll
  static void client() {
    v2 = new V2(owner);
  }

  @Test
  void set_returnsOnlySetDate() {
    var r = v2.setText(newUser(), "a", "1", "b", "2");
    assertThat(masked(r, 200)).isEqualTo(new JsonObject().put("setDate", TS));
  }

  @Test
  void set_setDate_isTheKeysChangeDate() {
    String user = newUser();
    String setDate = json(v2.setText(user, "a", "1"), 200).getString("setDate");
    var entry = json(owner.get(user, "a"), 200).getJsonObject("metadata");
    assertThat(entry.getJsonObject("details").getString("changeDate")).isEqualTo(setDate);
  }

  @Test
  void set_keyTwice_laterValueWins() {
    String user = newUser();
    json(v2.setText(user, "a", "1", "a", "2"), 200);
    assertThat(json(owner.get(user, "a"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(b64("2"));
  }

  @Test
  void set_snakeCaseAndUrlSafeBase64_areAccepted() {
    String user = newUser();
    byte[] value = {(byte) 0xfb, (byte) 0xff};
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    json(v2.set(user, "{\"metadata\":[{\"key\":\"k\",\"value\":\"" + urlSafe + "\"}]}"), 200);
    assertThat(json(owner.get(user, "k"), 200).getJsonObject("metadata").getString("value"))
        .isEqualTo(b64(value));
  }

  @Test
  void set_emptyList_returns400MetaNmm2d() {
    assertThat(json(v2.set(newUser(), "{\"metadata\":[]}"), 400)).isEqualTo(EMPTY_LIST);
    assertThat(json(v2.set(newUser(), "{}"), 400)).isEqualTo(EMPTY_LIST);
    assertThat(json(v2.set(newUser(), ""), 400)).isEqualTo(EMPTY_LIST);
  }

  @Test
  void set_emptyKey_returns400NamingTheV2Field() {
    var r = v2.set(newUser(), "{\"metadata\":[{\"key\":\"\",\"value\":\"" + b64("v") + "\"}]}");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                "invalid SetUserMetadataRequest.Metadata[0]: embedded message failed validation"
                    + " | caused by: invalid Metadata.Key: value length must be between 1 and 200"
                    + " runes, inclusive"));
  }

  @Test
  void set_valueOver500000Bytes_returns400AndStoresNothing() {
    String user = newUser();
    String big = b64(new byte[500_001]);
    var r =
        v2.set(
            user,
            "{\"metadata\":[{\"key\":\"ok\",\"value\":\""
                + b64("v")
                + "\"},{\"key\":\"big\",\"value\":\""
                + big
                + "\"}]}");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                "invalid SetUserMetadataRequest.Metadata[1]: embedded message failed validation"
                    + " | caused by: invalid Metadata.Value: value length must be between 1 and"
                    + " 500000 bytes, inclusive"));
    json(owner.get(user, "ok"), 404);
  }

  @Test
  void set_badBase64_returns400() {
    var r = v2.set(newUser(), "{\"metadata\":[{\"key\":\"k\",\"value\":\"!!\"}]}");
    assertThat(json(r, 400).getInteger("code")).isEqualTo(3);
  }

  @Test
  void set_notJson_returns400() {
    assertThat(json(v2.set(newUser(), "{"), 400))
        .isEqualTo(error(3, "request body is not valid JSON"));
  }

  @Test
  void set_userIdOver200Chars_returns400NamingUserId() {
    var r = v2.setText("u".repeat(201), "a", "1");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                "invalid SetUserMetadataRequest.UserId: value length must be between 1 and 200"
                    + " runes, inclusive"));
  }

  @Test
  void set_nulKey_returns400MetaNm00f() {
    var r = v2.set(newUser(), "{\"metadata\":[{\"key\":\"a\\u0000\",\"value\":\"dg==\"}]}");
    assertThat(json(r, 400)).isEqualTo(error(3, "META-2m00f", "Metadata is invalid"));
  }

  @Test
  void delete_existingKeys_returnsOnlyDeletionDate() {
    String user = newUser();
    v2.setText(user, "a", "1", "b", "2", "c", "3");
    var r = v2.delete(user, "a", "b");
    assertThat(masked(r, 200)).isEqualTo(new JsonObject().put("deletionDate", TS));
    json(owner.get(user, "a"), 404);
    json(owner.get(user, "b"), 404);
    json(owner.get(user, "c"), 200);
  }

  @Test
  void delete_anyKeyMissing_returns404Meta2nndsAndRemovesNothing() {
    String user = newUser();
    v2.setText(user, "a", "1");
    assertThat(json(v2.delete(user, "a", "nope"), 404)).isEqualTo(NOT_FOUND);
    json(owner.get(user, "a"), 200);
  }

  @Test
  void delete_noKeys_returns400MetaNmm2d() {
    String user = newUser();
    v2.setText(user, "a", "1");
    assertThat(json(v2.deleteQuery(user, ""), 400)).isEqualTo(EMPTY_LIST);
    assertThat(json(v2.deleteQuery(user, "other=a"), 400)).isEqualTo(EMPTY_LIST);
  }

  @Test
  void delete_emptyKey_returns400NamingTheKey() {
    String user = newUser();
    v2.setText(user, "a", "1");
    assertThat(json(v2.deleteQuery(user, "keys=a&keys="), 400))
        .isEqualTo(
            error(
                3,
                "invalid DeleteUserMetadataRequest.Keys[1]: value length must be between 1 and 200"
                    + " runes, inclusive"));
  }

  @Test
  void delete_keysArePercentAndPlusDecoded() {
    String user = newUser();
    v2.setText(user, "a/b", "1", "x y", "2", "é", "3");
    json(v2.deleteQuery(user, "keys=a%2Fb&keys=x+y&keys=%C3%A9"), 200);
    assertThat(json(owner.list(user, "{}"), 200).containsKey("result")).isFalse();
  }

  @Test
  void delete_badPercentEncoding_returns400() {
    var r =
        RawHttp.send(
            gw.gateway().apiPort(),
            "DELETE",
            (V2.path(newUser()) + "?keys=%zz").getBytes(StandardCharsets.US_ASCII),
            List.of("authorization", "Bearer " + issuer.token("owner-1", ORG, "ORG_OWNER")),
            null,
            false);
    assertThat(json(r, 400).getInteger("code")).isEqualTo(3);
  }

  @Test
  void delete_unknownUser_returns404Meta2nnds() {
    assertThat(json(v2.delete(newUser(), "a"), 404)).isEqualTo(NOT_FOUND);
  }
}
