package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** v1 and v2 are two views of one store: what one writes, the other reads, at once. */
class V2VisibilityTest extends SharedGateway {
  private static V2 v2;

  @BeforeAll
  static void client() {
    v2 = new V2(owner);
  }

  @Test
  void v2Set_isVisibleToV1GetAndList() {
    String user = newUser();
    json(v2.setText(user, "plan", "pro"), 200);
    var entry = json(owner.get(user, "plan"), 200).getJsonObject("metadata");
    assertThat(entry.getString("value")).isEqualTo(b64("pro"));
    assertThat(entry.getJsonObject("details").getString("sequence")).isEqualTo("1");
    var list = json(owner.list(user, "{}"), 200);
    assertThat(list.getJsonObject("details").getString("totalResult")).isEqualTo("1");
  }

  @Test
  void v1Set_isVisibleToV2List_withTheSameDates() {
    String user = newUser();
    json(owner.setText(user, "plan", "pro"), 200);
    JsonObject v1 = json(owner.get(user, "plan"), 200).getJsonObject("metadata");
    JsonObject v2Entry = json(v2.list(user, "{}"), 200).getJsonArray("metadata").getJsonObject(0);
    assertThat(v2Entry.getString("key")).isEqualTo("plan");
    assertThat(v2Entry.getString("value")).isEqualTo(b64("pro"));
    assertThat(v2Entry.getString("creationDate"))
        .isEqualTo(v1.getJsonObject("details").getString("creationDate"));
    assertThat(v2Entry.getString("changeDate"))
        .isEqualTo(v1.getJsonObject("details").getString("changeDate"));
  }

  @Test
  void v2Delete_removesWhatV1Set() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2");
    json(v2.delete(user, "a"), 200);
    json(owner.get(user, "a"), 404);
    json(owner.get(user, "b"), 200);
  }

  @Test
  void v1Remove_removesWhatV2Set() {
    String user = newUser();
    v2.setText(user, "a", "1", "b", "2");
    json(owner.remove(user, "a"), 200);
    assertThat(json(v2.list(user, "{}"), 200).getJsonArray("metadata")).hasSize(1);
  }

  @Test
  void v2Overwrite_keepsCreationDateAndAdvancesTheV1Sequence() {
    String user = newUser();
    json(owner.setText(user, "a", "1"), 200);
    String created =
        json(owner.get(user, "a"), 200)
            .getJsonObject("metadata")
            .getJsonObject("details")
            .getString("creationDate");
    json(v2.setText(user, "a", "2"), 200);
    var details =
        json(owner.get(user, "a"), 200).getJsonObject("metadata").getJsonObject("details");
    assertThat(details.getString("creationDate")).isEqualTo(created);
    assertThat(details.getString("sequence")).isEqualTo("2");
  }

  @Test
  void v2UnchangedSet_answersTheLatestChangeDate() {
    String user = newUser();
    String first = json(v2.setText(user, "a", "1"), 200).getString("setDate");
    String again = json(v2.setText(user, "a", "1"), 200).getString("setDate");
    assertThat(again).isEqualTo(first);
  }

  @Test
  void orgScoping_sameUserIdInAnotherOrg_isAnotherUser() {
    String user = newUser();
    json(v2.setText(user, "a", "1"), 200);
    V2 other = new V2(v1(issuer.token("owner-2", "org-2", "ORG_OWNER")));
    assertThat(json(other.list(user, "{}"), 200).containsKey("metadata")).isFalse();
  }
}
