package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.TS;
import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.masked;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v2/users/{userId}/metadata/search}: ListUserMetadata of the v2 User service. */
class V2ListConformanceTest extends SharedGateway {
  private static final String FILTER_PREFIX =
      "invalid ListUserMetadataRequest.Filters[0]: embedded message failed validation | caused by: ";
  private static final String KEY_FILTER_PREFIX =
      FILTER_PREFIX
          + "invalid MetadataSearchFilter.KeyFilter: embedded message failed validation | caused by: ";
  private static V2 v2;

  @BeforeAll
  static void client() {
    v2 = new V2(owner);
  }

  /** Sets each key in its own request, so creation dates follow the argument order. */
  private static String userWithKeysCreatedInOrder(String... keys) {
    String user = newUser();
    for (String k : keys) {
      json(v2.setText(user, k, "v-" + k), 200);
    }
    return user;
  }

  private static List<String> keys(JsonObject answer) {
    JsonArray list = answer.getJsonArray("metadata", new JsonArray());
    return list.stream().map(o -> ((JsonObject) o).getString("key")).toList();
  }

  @Test
  void list_entriesHaveDatesKeyAndValue_andPagination() {
    String user = newUser();
    v2.setText(user, "a", "1");
    var r = v2.list(user, "{}");
    assertThat(masked(r, 200))
        .isEqualTo(
            new JsonObject()
                .put(
                    "pagination",
                    new JsonObject().put("totalResult", "1").put("appliedLimit", "100"))
                .put(
                    "metadata",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("creationDate", TS)
                                .put("changeDate", TS)
                                .put("key", "a")
                                .put("value", b64("1")))));
  }

  @Test
  void list_unknownUser_returnsOnlyAppliedLimit() {
    var r = v2.list(newUser(), "");
    assertThat(json(r, 200))
        .isEqualTo(new JsonObject().put("pagination", new JsonObject().put("appliedLimit", "100")));
  }

  @Test
  void list_defaultOrder_isCreationDateDescending() {
    String user = userWithKeysCreatedInOrder("b", "a", "c");
    assertThat(keys(json(v2.list(user, "{}"), 200))).containsExactly("c", "a", "b");
  }

  @Test
  void list_asc_isCreationDateAscending() {
    String user = userWithKeysCreatedInOrder("b", "a", "c");
    var r = v2.list(user, "{\"pagination\":{\"asc\":true}}");
    assertThat(keys(json(r, 200))).containsExactly("b", "a", "c");
  }

  @Test
  void list_sameCreationDate_tiesByKey() {
    String user = newUser();
    v2.setText(user, "b", "1", "a", "2", "c", "3");
    assertThat(keys(json(v2.list(user, "{\"pagination\":{\"asc\":true}}"), 200)))
        .containsExactly("a", "b", "c");
  }

  @Test
  void list_offsetAndLimit_pageTheMatches() {
    String user = userWithKeysCreatedInOrder("a", "b", "c", "d");
    var r =
        json(v2.list(user, "{\"pagination\":{\"offset\":\"1\",\"limit\":2,\"asc\":true}}"), 200);
    assertThat(keys(r)).containsExactly("b", "c");
    assertThat(r.getJsonObject("pagination"))
        .isEqualTo(new JsonObject().put("totalResult", "4").put("appliedLimit", "2"));
  }

  @Test
  void list_limit1000_isAllowed() {
    var r = json(v2.list(newUser(), "{\"pagination\":{\"limit\":1000}}"), 200);
    assertThat(r.getJsonObject("pagination").getString("appliedLimit")).isEqualTo("1000");
  }

  @Test
  void list_limitOver1000_returns400Query4M0fs() {
    var r = v2.list(newUser(), "{\"pagination\":{\"limit\":1001}}");
    assertThat(json(r, 400)).isEqualTo(error(3, "QUERY-4M0fs", "Limit exceeded"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "TEXT_FILTER_METHOD_EQUALS, ab, ab",
    "TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE, AB, ab",
    "TEXT_FILTER_METHOD_STARTS_WITH, a, 'ab,abc'",
    "TEXT_FILTER_METHOD_CONTAINS, bc, abc",
    "TEXT_FILTER_METHOD_ENDS_WITH_IGNORE_CASE, C, abc",
    "6, b, ab",
  })
  void list_keyFilter_matchesByMethod(String method, String key, String expected) {
    String user = userWithKeysCreatedInOrder("ab", "abc", "x");
    String m = method.matches("\\d+") ? method : "\"" + method + "\"";
    String body =
        "{\"filters\":[{\"keyFilter\":{\"key\":\""
            + key
            + "\",\"method\":"
            + m
            + "}}],"
            + "\"pagination\":{\"asc\":true}}";
    assertThat(keys(json(v2.list(user, body), 200)))
        .containsExactlyElementsOf(List.of(expected.split(",")));
  }

  @Test
  void list_snakeCaseKeyFilter_isAccepted() {
    String user = userWithKeysCreatedInOrder("ab", "x");
    var r = v2.list(user, "{\"filters\":[{\"key_filter\":{\"key\":\"x\"}}]}");
    assertThat(keys(json(r, 200))).containsExactly("x");
  }

  @Test
  void list_filtersAreAnded() {
    String user = userWithKeysCreatedInOrder("ab", "abc", "xbc");
    String body =
        "{\"filters\":[{\"keyFilter\":{\"key\":\"a\",\"method\":\"TEXT_FILTER_METHOD_STARTS_WITH\"}},"
            + "{\"keyFilter\":{\"key\":\"c\",\"method\":\"TEXT_FILTER_METHOD_ENDS_WITH\"}}]}";
    assertThat(keys(json(v2.list(user, body), 200))).containsExactly("abc");
  }

  @Test
  void list_filterWithoutKind_returns400ValueIsRequired() {
    var r = v2.list(newUser(), "{\"filters\":[{}]}");
    assertThat(json(r, 400))
        .isEqualTo(
            error(3, FILTER_PREFIX + "invalid MetadataSearchFilter.Filter: value is required"));
  }

  @Test
  void list_filterKeyOver200Chars_returns400() {
    var r =
        v2.list(newUser(), "{\"filters\":[{\"keyFilter\":{\"key\":\"" + "k".repeat(201) + "\"}}]}");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                KEY_FILTER_PREFIX
                    + "invalid MetadataKeyFilter.Key: value length must be at most 200 runes"));
  }

  @Test
  void list_undefinedMethodNumber_returns400DefinedOnly() {
    var r = v2.list(newUser(), "{\"filters\":[{\"keyFilter\":{\"key\":\"a\",\"method\":8}}]}");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                KEY_FILTER_PREFIX
                    + "invalid MetadataKeyFilter.Method: value must be one of the defined enum"
                    + " values"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"TEXT_QUERY_METHOD_EQUALS\"",
        "\"EQUALS\"",
        "1.5",
        "true",
      })
  void list_methodNotATextFilterMethod_returns400(String method) {
    var r =
        v2.list(
            newUser(), "{\"filters\":[{\"keyFilter\":{\"key\":\"a\",\"method\":" + method + "}}]}");
    assertThat(json(r, 400))
        .isEqualTo(
            error(
                3,
                "invalid value for enum field method: not a zitadel.filter.v2.TextFilterMethod"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"pagination\":{\"limit\":-1}}",
        "{\"pagination\":{\"limit\":4294967296}}",
        "{\"pagination\":{\"offset\":\"x\"}}",
        "{\"pagination\":{\"asc\":\"yes\"}}",
        "{\"pagination\":[]}",
        "{\"filters\":{}}",
        "{\"filters\":[1]}",
      })
  void list_wrongJsonTypes_return400(String body) {
    assertThat(json(v2.list(newUser(), body), 400).getInteger("code")).isEqualTo(3);
  }
}
