package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.TS;
import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.entry;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.masked;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /management/v1/users/{userId}/metadata/_search}: ListUserMetadata. */
class ListConformanceTest extends SharedGateway {
  /** Six keys, set in this (unsorted) order, one event each: sequence 1..6. */
  private static final List<String> KEYS =
      List.of("xalpha", "alphabet", "beta", "Alpha", "gamma-ALPHA", "alpha");

  private static String sixKeys;

  @BeforeAll
  static void sixKeys() {
    sixKeys = newUser();
    for (String key : KEYS) {
      json(owner.setText(sixKeys, key, "value of " + key), 200);
    }
  }

  static Stream<Arguments> methods() {
    return Stream.of(
        Arguments.of("EQUALS", 0, List.of("alpha")),
        Arguments.of("EQUALS_IGNORE_CASE", 1, List.of("Alpha", "alpha")),
        Arguments.of("STARTS_WITH", 2, List.of("alpha", "alphabet")),
        Arguments.of("STARTS_WITH_IGNORE_CASE", 3, List.of("Alpha", "alpha", "alphabet")),
        Arguments.of("CONTAINS", 4, List.of("alpha", "alphabet", "xalpha")),
        Arguments.of(
            "CONTAINS_IGNORE_CASE",
            5,
            List.of("Alpha", "alpha", "alphabet", "gamma-ALPHA", "xalpha")),
        Arguments.of("ENDS_WITH", 6, List.of("alpha", "xalpha")),
        Arguments.of(
            "ENDS_WITH_IGNORE_CASE", 7, List.of("Alpha", "alpha", "gamma-ALPHA", "xalpha")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void list_methodByName_matchesKeysOrderedByKey(String method, int number, List<String> keys) {
    var r = owner.list(sixKeys, queryBody("alpha", "\"TEXT_QUERY_METHOD_" + method + "\""));
    assertThat(masked(r, 200)).isEqualTo(page(keys.size(), 6, entries(keys)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void list_methodByNumber_matchesLikeTheName(String method, int number, List<String> keys) {
    var r = owner.list(sixKeys, queryBody("alpha", Integer.toString(number)));
    assertThat(masked(r, 200)).isEqualTo(page(keys.size(), 6, entries(keys)));
  }

  @Test
  void list_noQuery_returnsAllKeysOrderedByKeyWithEntryDetails() {
    var r = json(owner.list(sixKeys, "{}"), 200);
    List<String> sorted = List.of("Alpha", "alpha", "alphabet", "beta", "gamma-ALPHA", "xalpha");
    assertThat(masked(r)).isEqualTo(page(6, 6, entries(sorted)));
    JsonObject alpha = r.getJsonArray("result").getJsonObject(1);
    assertThat(alpha.getJsonObject("details").getString("changeDate"))
        .isEqualTo(
            json(owner.get(sixKeys, "alpha"), 200)
                .getJsonObject("metadata")
                .getJsonObject("details")
                .getString("changeDate"));
    assertThat(r.getJsonObject("details").getString("viewTimestamp"))
        .isEqualTo(alpha.getJsonObject("details").getString("changeDate"));
  }

  @Test
  void list_emptyBody_isLikeNoQuery() {
    assertThat(masked(owner.list(sixKeys, null), 200))
        .isEqualTo(masked(owner.list(sixKeys, "{}"), 200));
  }

  @Test
  void list_methodOmitted_isEquals() {
    var r = owner.list(sixKeys, "{\"queries\":[{\"keyQuery\":{\"key\":\"alpha\"}}]}");
    assertThat(masked(r, 200)).isEqualTo(page(1, 6, entries(List.of("alpha"))));
  }

  @Test
  void list_severalQueries_areAnded() {
    String body =
        "{\"queries\":["
            + "{\"keyQuery\":{\"key\":\"alp\",\"method\":\"TEXT_QUERY_METHOD_STARTS_WITH\"}},"
            + "{\"keyQuery\":{\"key\":\"BET\",\"method\":\"TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE\"}}]}";
    assertThat(masked(owner.list(sixKeys, body), 200))
        .isEqualTo(page(1, 6, entries(List.of("alphabet"))));
  }

  @Test
  void list_keyQuerySnakeCase_isAccepted() {
    String body =
        "{\"queries\":[{\"key_query\":{\"key\":\"beta\",\"method\":\"TEXT_QUERY_METHOD_EQUALS\"}}]}";
    assertThat(masked(owner.list(sixKeys, body), 200))
        .isEqualTo(page(1, 6, entries(List.of("beta"))));
  }

  @Test
  void list_offsetAndLimitAsStrings_pageAfterCounting() {
    var r = owner.list(sixKeys, "{\"query\":{\"offset\":\"1\",\"limit\":\"2\",\"asc\":true}}");
    assertThat(masked(r, 200)).isEqualTo(page(6, 6, entries(List.of("alpha", "alphabet"))));
  }

  @Test
  void list_offsetAndLimitAsNumbers_pageAfterCounting() {
    var r = owner.list(sixKeys, "{\"query\":{\"offset\":4,\"limit\":5}}");
    assertThat(masked(r, 200)).isEqualTo(page(6, 6, entries(List.of("gamma-ALPHA", "xalpha"))));
  }

  @Test
  void list_offsetWithQuery_totalResultCountsMatchesBeforePaging() {
    String body =
        "{\"query\":{\"offset\":\"1\",\"limit\":1},"
            + "\"queries\":[{\"keyQuery\":{\"key\":\"alpha\",\"method\":\"TEXT_QUERY_METHOD_CONTAINS\"}}]}";
    assertThat(masked(owner.list(sixKeys, body), 200))
        .isEqualTo(page(3, 6, entries(List.of("alphabet"))));
  }

  @Test
  void list_offsetBeyondMatches_returnsTotalWithoutResult() {
    var r = owner.list(sixKeys, "{\"query\":{\"offset\":\"6\"}}");
    assertThat(masked(r, 200)).isEqualTo(page(6, 6, List.of()));
  }

  @Test
  void list_noMatches_resultIsAbsent() {
    String body = "{\"queries\":[{\"keyQuery\":{\"key\":\"nope\",\"method\":4}}]}";
    var r = masked(owner.list(sixKeys, body), 200);
    assertThat(r)
        .isEqualTo(
            new JsonObject()
                .put(
                    "details",
                    new JsonObject().put("processedSequence", "6").put("viewTimestamp", TS)));
  }

  @Test
  void list_unknownUser_returns200WithEmptyMessage() {
    assertThat(json(owner.list(newUser(), "{}"), 200)).isEqualTo(new JsonObject());
  }

  @Test
  void list_limitZero_means100() {
    String user = manyKeys(150);
    var r = json(owner.list(user, "{\"query\":{\"limit\":0}}"), 200);
    assertThat(r.getJsonArray("result")).hasSize(100);
    assertThat(r.getJsonObject("details").getString("totalResult")).isEqualTo("150");
    assertThat(r.getJsonObject("details").getString("processedSequence")).isEqualTo("150");
    assertThat(json(owner.list(user, "{}"), 200).getJsonArray("result")).hasSize(100);
  }

  @Test
  void list_limit1000_isAccepted() {
    String user = manyKeys(150);
    var r = json(owner.list(user, "{\"query\":{\"offset\":\"100\",\"limit\":\"1000\"}}"), 200);
    assertThat(r.getJsonArray("result")).hasSize(50);
    assertThat(r.getJsonArray("result").getJsonObject(0).getString("key")).isEqualTo("key-100");
  }

  @Test
  void list_limit1001_returns400NamingTheField() {
    var expected = error(3, "invalid ListQuery.Limit: value must be less than or equal to 1000");
    assertThat(json(owner.list(sixKeys, "{\"query\":{\"limit\":1001}}"), 400)).isEqualTo(expected);
    assertThat(json(owner.list(sixKeys, "{\"query\":{\"limit\":\"1001\"}}"), 400))
        .isEqualTo(expected);
  }

  @Test
  void list_processedSequence_followsRemoves() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1", "b", "2");
    json(owner.remove(user, "a"), 200);
    var r = masked(owner.list(user, "{}"), 200);
    assertThat(r).isEqualTo(page(1, 3, List.of(entry("b", b64("2"), 2, ORG))));
  }

  @Test
  void list_allKeysRemoved_keepsProcessedSequenceWithoutResult() {
    String user = newUser();
    owner.bulkSetText(user, "a", "1");
    json(owner.remove(user, "a"), 200);
    var r = masked(owner.list(user, "{}"), 200);
    assertThat(r)
        .isEqualTo(
            new JsonObject()
                .put(
                    "details",
                    new JsonObject().put("processedSequence", "2").put("viewTimestamp", TS)));
  }

  private static String manyKeys(int n) {
    String user = newUser();
    JsonArray list = new JsonArray();
    for (int i = 0; i < n; i++) {
      list.add(new JsonObject().put("key", String.format("key-%03d", i)).put("value", b64("v")));
    }
    json(owner.bulkSet(user, new JsonObject().put("metadata", list).encode()), 200);
    return user;
  }

  private static String queryBody(String key, String methodJson) {
    return "{\"queries\":[{\"keyQuery\":{\"key\":\"" + key + "\",\"method\":" + methodJson + "}}]}";
  }

  /** The entries of {@link #sixKeys} for {@code keys}: sequence is the set order (1-based). */
  private static List<JsonObject> entries(List<String> keys) {
    List<JsonObject> out = new ArrayList<>();
    for (String key : keys) {
      out.add(entry(key, b64("value of " + key), KEYS.indexOf(key) + 1, ORG));
    }
    return out;
  }

  private static JsonObject page(long total, long sequence, List<JsonObject> result) {
    JsonObject details =
        new JsonObject()
            .put("totalResult", Long.toString(total))
            .put("processedSequence", Long.toString(sequence))
            .put("viewTimestamp", TS);
    JsonObject page = new JsonObject().put("details", details);
    if (!result.isEmpty()) {
      page.put("result", new JsonArray(new ArrayList<>(result)));
    }
    return page;
  }
}
