package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.details;
import static dev.metagate.api.rest.Wire.entry;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.masked;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@code POST /management/v1/users/{userId}/metadata/_bulk}: BulkSetUserMetadata. */
class BulkSetConformanceTest extends SharedGateway {

  @Test
  void bulkSet_threeNewKeys_returnsDetailsWithChangeDateAndSequenceThree() {
    String user = newUser();
    var r = owner.bulkSetText(user, "k1", "v1", "k2", "v2", "k3", "v3");
    assertThat(masked(r, 200)).isEqualTo(details("changeDate", 3, ORG));
  }

  @Test
  void bulkSet_response_hasNoCreationDateAndInt64AsString() {
    var d = json(owner.bulkSetText(newUser(), "k", "v"), 200).getJsonObject("details");
    assertThat(d.fieldNames()).containsExactlyInAnyOrder("sequence", "changeDate", "resourceOwner");
    assertThat(d.getValue("sequence")).isEqualTo("1");
  }

  @Test
  void bulkSet_entries_areStoredWithOneSequenceEachAndTheRequestTime() {
    String user = newUser();
    String changeDate =
        json(owner.bulkSetText(user, "k1", "v1", "k2", "v2"), 200)
            .getJsonObject("details")
            .getString("changeDate");
    var k2 = json(owner.get(user, "k2"), 200);
    assertThat(masked(k2))
        .isEqualTo(new JsonObject().put("metadata", entry("k2", b64("v2"), 2, ORG)));
    JsonObject d = k2.getJsonObject("metadata").getJsonObject("details");
    assertThat(d.getString("creationDate")).isEqualTo(changeDate);
    assertThat(d.getString("changeDate")).isEqualTo(changeDate);
    assertThat(masked(owner.get(user, "k1"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k1", b64("v1"), 1, ORG)));
  }

  @Test
  void bulkSet_sequence_countsOnlyChangedKeys() {
    String user = newUser();
    owner.bulkSetText(user, "k1", "v1", "k2", "v2", "k3", "v3");
    var r = owner.bulkSetText(user, "k1", "v1", "k2", "changed", "k3", "v3", "k4", "new");
    assertThat(masked(r, 200)).isEqualTo(details("changeDate", 5, ORG));
    assertThat(masked(owner.get(user, "k1"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k1", b64("v1"), 1, ORG)));
    assertThat(masked(owner.get(user, "k2"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k2", b64("changed"), 4, ORG)));
  }

  @Test
  void bulkSet_unchangedValues_returnCurrentSequenceAndLastChangeDate() {
    String user = newUser();
    var first = json(owner.bulkSetText(user, "k1", "v1", "k2", "v2"), 200);
    var again = json(owner.bulkSetText(user, "k2", "v2", "k1", "v1"), 200);
    assertThat(again).isEqualTo(first);
    var k1 = json(owner.get(user, "k1"), 200).getJsonObject("metadata").getJsonObject("details");
    assertThat(k1.getString("changeDate"))
        .isEqualTo(first.getJsonObject("details").getString("changeDate"));
    assertThat(k1.getString("sequence")).isEqualTo("1");
  }

  @Test
  void bulkSet_sameKeyTwice_laterValueWins() {
    String user = newUser();
    var r = owner.bulkSetText(user, "k", "first", "k", "second");
    // applied in order: two changes of the same key, two events
    assertThat(masked(r, 200)).isEqualTo(details("changeDate", 2, ORG));
    assertThat(masked(owner.get(user, "k"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("k", b64("second"), 2, ORG)));
  }

  @Test
  void bulkSet_urlSafeAndUnpaddedBase64_areAcceptedAndReturnedAsPaddedStandard() {
    String user = newUser();
    String body =
        new JsonObject()
            .put(
                "metadata",
                new JsonArray()
                    .add(new JsonObject().put("key", "url").put("value", "-_-_"))
                    .add(new JsonObject().put("key", "urlUnpadded").put("value", "-_8"))
                    .add(new JsonObject().put("key", "urlPadded").put("value", "-_8="))
                    .add(new JsonObject().put("key", "stdUnpadded").put("value", "aGk"))
                    .add(new JsonObject().put("key", "std").put("value", "+/8=")))
            .encode();
    json(owner.bulkSet(user, body), 200);
    assertThat(value(user, "url")).isEqualTo("+/+/");
    assertThat(value(user, "urlUnpadded")).isEqualTo("+/8=");
    assertThat(value(user, "urlPadded")).isEqualTo("+/8=");
    assertThat(value(user, "stdUnpadded")).isEqualTo("aGk=");
    assertThat(value(user, "std")).isEqualTo("+/8=");
  }

  @Test
  void bulkSet_snakeCaseAndUnknownFields_areAccepted() {
    String user = newUser();
    String body =
        "{\"metadata\":[{\"key\":\"k\",\"value\":\"dg==\",\"extra\":1}],\"unknown\":{\"a\":[]}}";
    assertThat(masked(owner.bulkSet(user, body), 200)).isEqualTo(details("changeDate", 1, ORG));
  }

  @Test
  void bulkSet_emptyList_returns400FailedPreconditionMeta9mm2d() {
    String user = newUser();
    var r = owner.bulkSet(user, "{\"metadata\":[]}");
    assertThat(json(r, 400)).isEqualTo(error(9, "META-9mm2d", "Metadata list is empty"));
  }

  @Test
  void bulkSet_missingList_returns400FailedPreconditionMeta9mm2d() {
    assertThat(json(owner.bulkSet(newUser(), "{}"), 400))
        .isEqualTo(error(9, "META-9mm2d", "Metadata list is empty"));
    assertThat(json(owner.bulkSet(newUser(), null), 400))
        .isEqualTo(error(9, "META-9mm2d", "Metadata list is empty"));
  }

  @Test
  void bulkSet_valueOver500000BytesInOneEntry_returns400AndStoresNothing() {
    String user = newUser();
    String body =
        new JsonObject()
            .put(
                "metadata",
                new JsonArray()
                    .add(new JsonObject().put("key", "good").put("value", b64("v")))
                    .add(new JsonObject().put("key", "big").put("value", b64(new byte[500_001]))))
            .encode();
    assertThat(json(owner.bulkSet(user, body), 400))
        .isEqualTo(
            error(
                3,
                "invalid BulkSetUserMetadataRequest.Metadata[1]: embedded message failed"
                    + " validation | caused by: invalid BulkSetUserMetadataRequest_Metadata.Value:"
                    + " value length must be between 1 and 500000 bytes, inclusive"));
    assertNothingStored(user);
  }

  @Test
  void bulkSet_value500000Bytes_isStored() {
    String user = newUser();
    String value = b64(new byte[500_000]);
    String body =
        new JsonObject()
            .put(
                "metadata",
                new JsonArray().add(new JsonObject().put("key", "k").put("value", value)))
            .encode();
    assertThat(masked(owner.bulkSet(user, body), 200)).isEqualTo(details("changeDate", 1, ORG));
    assertThat(value(user, "k")).isEqualTo(value);
  }

  @Test
  void bulkSet_keyOver200CharsInLastEntry_returns400AndStoresNothing() {
    String user = newUser();
    var r = owner.bulkSetText(user, "a", "1", "b", "2", "k".repeat(201), "3");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                "invalid BulkSetUserMetadataRequest.Metadata[2]: embedded message failed"
                    + " validation | caused by: invalid BulkSetUserMetadataRequest_Metadata.Key:"
                    + " value length must be between 1 and 200 runes, inclusive"));
    assertNothingStored(user);
  }

  @Test
  void bulkSet_emptyValueInOneEntry_returns400AndStoresNothing() {
    String user = newUser();
    var r =
        owner.bulkSet(user, "{\"metadata\":[{\"key\":\"a\",\"value\":\"dg==\"},{\"key\":\"b\"}]}");
    assertThat(json(r, 400).getString("message"))
        .isEqualTo(
            "invalid BulkSetUserMetadataRequest.Metadata[1]: embedded message failed validation"
                + " | caused by: invalid BulkSetUserMetadataRequest_Metadata.Value: value length"
                + " must be between 1 and 500000 bytes, inclusive");
    assertNothingStored(user);
  }

  @Test
  void bulkSet_keyWithNulInOneEntry_returns400Meta2m00fAndStoresNothing() {
    String user = newUser();
    var r = owner.bulkSetText(user, "good", "v", "bad\u0000key", "v");
    assertThat(json(r, 400)).isEqualTo(error(3, "META-2m00f", "Metadata is invalid"));
    assertNothingStored(user);
  }

  @Test
  void bulkSet_badBase64InOneEntry_returns400AndStoresNothing() {
    String user = newUser();
    var r =
        owner.bulkSet(
            user,
            "{\"metadata\":[{\"key\":\"a\",\"value\":\"dg==\"},{\"key\":\"b\",\"value\":\"*\"}]}");
    assertThat(json(r, 400))
        .isEqualTo(error(3, "invalid value for bytes field value: not valid base64"));
    assertNothingStored(user);
  }

  @Test
  void bulkSet_failedRequest_leavesEarlierDataUntouched() {
    String user = newUser();
    json(owner.bulkSetText(user, "a", "1"), 200);
    json(owner.bulkSetText(user, "a", "2", "b\u0000", "3"), 400);
    assertThat(masked(owner.get(user, "a"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("a", b64("1"), 1, ORG)));
  }

  private static String value(String user, String key) {
    return json(owner.get(user, key), 200).getJsonObject("metadata").getString("value");
  }

  /** The user has no metadata at all: List answers an empty message. */
  private static void assertNothingStored(String user) {
    assertThat(json(owner.list(user, "{}"), 200)).isEqualTo(new JsonObject());
  }
}
