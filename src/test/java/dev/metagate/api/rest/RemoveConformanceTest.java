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

/**
 * {@code DELETE /management/v1/users/{userId}/metadata/{key}} and {@code .../_bulk}:
 * RemoveUserMetadata and BulkRemoveUserMetadata.
 */
class RemoveConformanceTest extends SharedGateway {
  private static final JsonObject REMOVE_NOT_FOUND = error(5, "META-ncnw3", "Metadata not found");
  private static final JsonObject BULK_NOT_FOUND =
      error(5, "META-2nnds", "One or more keys do not exist");

  @Test
  void remove_existingKey_returnsDetailsWithChangeDate() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2");
    var r = owner.remove(user, "a");
    assertThat(masked(r, 200)).isEqualTo(details("changeDate", 3, ORG));
    assertThat(json(r, 200).getJsonObject("details").fieldNames())
        .containsExactlyInAnyOrder("sequence", "changeDate", "resourceOwner");
    json(owner.get(user, "a"), 404);
    assertThat(masked(owner.get(user, "b"), 200))
        .isEqualTo(new JsonObject().put("metadata", entry("b", b64("2"), 2, ORG)));
  }

  @Test
  void remove_changeDate_isTheListViewTimestamp() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2");
    String removedAt =
        json(owner.remove(user, "a"), 200).getJsonObject("details").getString("changeDate");
    assertThat(
            json(owner.list(user, "{}"), 200).getJsonObject("details").getString("viewTimestamp"))
        .isEqualTo(removedAt);
  }

  @Test
  void remove_encodedKey_removesThatKey() {
    String user = newUser();
    owner.bulkSetText(user, "a/b", "1", "a", "2");
    json(owner.raw("DELETE", V1.USERS + user + "/metadata/a%2Fb", null), 200);
    json(owner.get(user, "a/b"), 404);
    json(owner.get(user, "a"), 200);
  }

  @Test
  void remove_missingKey_returns404MetaNcnw3() {
    String user = newUser();
    owner.setText(user, "a", "1");
    assertThat(json(owner.remove(user, "b"), 404)).isEqualTo(REMOVE_NOT_FOUND);
  }

  @Test
  void remove_twice_secondReturns404MetaNcnw3() {
    String user = newUser();
    owner.setText(user, "a", "1");
    json(owner.remove(user, "a"), 200);
    assertThat(json(owner.remove(user, "a"), 404)).isEqualTo(REMOVE_NOT_FOUND);
  }

  @Test
  void remove_unknownUser_returns404MetaNcnw3() {
    assertThat(json(owner.remove(newUser(), "a"), 404)).isEqualTo(REMOVE_NOT_FOUND);
  }

  @Test
  void remove_missingKey_changesNothing() {
    String user = newUser();
    var set = masked(owner.setText(user, "a", "1"), 200);
    json(owner.remove(user, "b"), 404);
    assertThat(
            masked(owner.list(user, "{}"), 200)
                .getJsonObject("details")
                .getString("processedSequence"))
        .isEqualTo("1");
    assertThat(set).isEqualTo(details("creationDate", 1, ORG));
  }

  @Test
  void bulkRemove_existingKeys_returnsDetailsAndRemovesThem() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2", "c", "3");
    var r = owner.bulkRemove(user, "{\"keys\":[\"a\",\"c\"]}");
    assertThat(masked(r, 200)).isEqualTo(details("changeDate", 5, ORG));
    assertThat(masked(owner.list(user, "{}"), 200))
        .isEqualTo(
            new JsonObject()
                .put(
                    "details",
                    new JsonObject()
                        .put("totalResult", "1")
                        .put("processedSequence", "5")
                        .put("viewTimestamp", Wire.TS))
                .put("result", new JsonArray().add(entry("b", b64("2"), 2, ORG))));
  }

  @Test
  void bulkRemove_sameKeyTwice_removesItOnce() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2");
    var r = owner.bulkRemove(user, "{\"keys\":[\"a\",\"a\"]}");
    assertThat(masked(r, 200)).isEqualTo(details("changeDate", 3, ORG));
  }

  @Test
  void bulkRemove_oneKeyMissing_returns404Meta2nndsAndRemovesNothing() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2");
    var r = owner.bulkRemove(user, "{\"keys\":[\"a\",\"missing\",\"b\"]}");
    assertThat(json(r, 404)).isEqualTo(BULK_NOT_FOUND);
    var listed = masked(owner.list(user, "{}"), 200);
    assertThat(listed.getJsonObject("details").getString("processedSequence")).isEqualTo("2");
    assertThat(listed.getJsonArray("result")).hasSize(2);
  }

  @Test
  void bulkRemove_unknownUser_returns404Meta2nnds() {
    assertThat(json(owner.bulkRemove(newUser(), "{\"keys\":[\"a\"]}"), 404))
        .isEqualTo(BULK_NOT_FOUND);
  }

  @Test
  void bulkRemove_emptyKeys_returns400FailedPreconditionMeta9mm2d() {
    String user = newUser();
    owner.setText(user, "a", "1");
    var expected = error(9, "META-9mm2d", "Metadata list is empty");
    assertThat(json(owner.bulkRemove(user, "{\"keys\":[]}"), 400)).isEqualTo(expected);
    assertThat(json(owner.bulkRemove(user, "{}"), 400)).isEqualTo(expected);
    assertThat(json(owner.bulkRemove(user, null), 400)).isEqualTo(expected);
    json(owner.get(user, "a"), 200);
  }

  @Test
  void bulkRemove_keyOver200Chars_returns400NamingTheField() {
    String user = newUser();
    owner.setText(user, "a", "1");
    var r = owner.bulkRemove(user, "{\"keys\":[\"a\",\"" + "k".repeat(201) + "\"]}");
    assertThat(json(r, 400)).isEqualTo(Wire.runesError("BulkRemoveUserMetadataRequest.Keys[1]"));
    json(owner.get(user, "a"), 200);
  }

  @Test
  void bulkRemove_keyNotAString_returns400() {
    var r = owner.bulkRemove(newUser(), "{\"keys\":[1]}");
    assertThat(json(r, 400)).isEqualTo(error(3, "keys: each key must be a string"));
  }
}
