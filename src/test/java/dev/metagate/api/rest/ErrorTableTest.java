package dev.metagate.api.rest;

import static dev.metagate.api.rest.Wire.b64;
import static dev.metagate.api.rest.Wire.error;
import static dev.metagate.api.rest.Wire.json;
import static dev.metagate.api.rest.Wire.runesError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.Http.Response;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rows of api.md's error table about input and business rules, as local mode answers them:
 * parsing (400, no id), field limits (400, message names the field, no details), META-9mm2d,
 * META-2m00f and the three not-found ids. Every rejected request stores nothing.
 */
class ErrorTableTest extends SharedGateway {
  private static final String ENUM_ERROR =
      "invalid value for enum field method: not a zitadel.v1.TextQueryMethod";
  private static final String VALUE_LIMIT =
      "value length must be between 1 and 500000 bytes, inclusive";

  // ---- body is not JSON / wrong JSON type / bad base64 / bad enum: 3, 400, no id

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{", "{\"value\":}", "nope", "{\"value\":\"dg==\"} trailing"})
  void set_bodyNotJson_returns400InvalidArgument(String body) {
    assertThat(json(owner.set(newUser(), "k", body), 400))
        .isEqualTo(error(3, "request body is not valid JSON"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"[]", "\"dg==\"", "1", "null", "true"})
  void set_bodyNotAnObject_returns400InvalidArgument(String body) {
    assertThat(json(owner.set(newUser(), "k", body), 400))
        .isEqualTo(error(3, "request body must be a JSON object"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"5", "true", "[]", "{}"})
  void set_valueWrongType_returns400InvalidArgument(String value) {
    var r = owner.set(newUser(), "k", "{\"value\":" + value + "}");
    assertThat(json(r, 400)).isEqualTo(error(3, "invalid value for bytes field value"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"%%%%", "a", "dg=a", "+_==", "d g=="})
  void set_badBase64_returns400InvalidArgumentAndStoresNothing(String value) {
    String user = newUser();
    var r = owner.set(user, "k", new JsonObject().put("value", value).encode());
    assertThat(json(r, 400))
        .isEqualTo(error(3, "invalid value for bytes field value: not valid base64"));
    assertNothingStored(user);
  }

  static Stream<Arguments> bulkSetWrongTypes() {
    return Stream.of(
        Arguments.of("{\"metadata\":{}}", "invalid value for list field metadata"),
        Arguments.of("{\"metadata\":\"k\"}", "invalid value for list field metadata"),
        Arguments.of("{\"metadata\":[1]}", "metadata: each entry must be a JSON object"),
        Arguments.of(
            "{\"metadata\":[{\"key\":1,\"value\":\"dg==\"}]}",
            "invalid value for string field key"),
        Arguments.of(
            "{\"metadata\":[{\"key\":\"k\",\"value\":1}]}", "invalid value for bytes field value"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("bulkSetWrongTypes")
  void bulkSet_wrongJsonType_returns400InvalidArgument(String body, String message) {
    String user = newUser();
    assertThat(json(owner.bulkSet(user, body), 400)).isEqualTo(error(3, message));
    assertNothingStored(user);
  }

  static Stream<Arguments> listWrongTypes() {
    return Stream.of(
        Arguments.of("{\"query\":[]}", "invalid value for message field query"),
        Arguments.of("{\"query\":{\"limit\":-1}}", "invalid value for integer field limit"),
        Arguments.of("{\"query\":{\"limit\":1.5}}", "invalid value for integer field limit"),
        Arguments.of("{\"query\":{\"limit\":\"ten\"}}", "invalid value for integer field limit"),
        Arguments.of("{\"query\":{\"offset\":\"-1\"}}", "invalid value for integer field offset"),
        Arguments.of("{\"query\":{\"offset\":true}}", "invalid value for integer field offset"),
        Arguments.of("{\"query\":{\"asc\":\"yes\"}}", "invalid value for bool field asc"),
        Arguments.of("{\"queries\":{}}", "invalid value for list field queries"),
        Arguments.of("{\"queries\":[\"k\"]}", "queries: each query must be a JSON object"),
        Arguments.of(
            "{\"queries\":[{\"keyQuery\":\"k\"}]}", "invalid value for message field keyQuery"),
        Arguments.of(
            "{\"queries\":[{\"keyQuery\":{\"key\":7}}]}", "invalid value for string field key"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("listWrongTypes")
  void list_wrongJsonType_returns400InvalidArgument(String body, String message) {
    assertThat(json(owner.list(newUser(), body), 400)).isEqualTo(error(3, message));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "\"TEXT_QUERY_METHOD_FOO\"",
        "\"EQUALS\"",
        "\"text_query_method_equals\"",
        "\"\"",
        "8",
        "-1",
        "1.5",
        "true"
      })
  void list_badEnum_returns400InvalidArgument(String method) {
    String body = "{\"queries\":[{\"keyQuery\":{\"key\":\"k\",\"method\":" + method + "}}]}";
    assertThat(json(owner.list(newUser(), body), 400)).isEqualTo(error(3, ENUM_ERROR));
  }

  @Test
  void set_deeplyNestedJson_returns400NotAServerError() {
    String body = "{\"value\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThat(json(owner.set(newUser(), "k", body), 400))
        .isEqualTo(error(3, "request body is not valid JSON"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"1e999", "-1e999", "99999999999999999999", "\"99999999999999999999\""})
  void list_hugeNumbers_return400InvalidArgument(String number) {
    var r = owner.list(newUser(), "{\"query\":{\"offset\":" + number + "}}");
    assertThat(json(r, 400)).isEqualTo(error(3, "invalid value for integer field offset"));
  }

  @Test
  void bulkRemove_keysNotAList_returns400InvalidArgument() {
    assertThat(json(owner.bulkRemove(newUser(), "{\"keys\":\"k\"}"), 400))
        .isEqualTo(error(3, "invalid value for list field keys"));
  }

  @Test
  void path_badPercentEncoding_returns400InvalidArgument() {
    var r = owner.raw("GET", V1.USERS + "u1/metadata/%E2%82", null);
    assertThat(json(r, 400)).isEqualTo(error(3, "path is not valid percent-encoded UTF-8"));
  }

  // ---- field limit broken: 3, 400, message names the field, no details

  @Test
  void set_key201Chars_returns400NamingTheFieldAndStoresNothing() {
    String user = newUser();
    assertThat(json(owner.setText(user, "k".repeat(201), "v"), 400))
        .isEqualTo(runesError("SetUserMetadataRequest.Key"));
    assertNothingStored(user);
  }

  @Test
  void set_key201FourByteRunes_returns400() {
    assertThat(json(owner.setText(newUser(), "\uD83D\uDE00".repeat(201), "v"), 400))
        .isEqualTo(runesError("SetUserMetadataRequest.Key"));
  }

  @Test
  void set_value500001Bytes_returns400NamingTheFieldAndStoresNothing() {
    String user = newUser();
    var r = owner.set(user, "k", new JsonObject().put("value", b64(new byte[500_001])).encode());
    assertThat(json(r, 400))
        .isEqualTo(error(3, "invalid SetUserMetadataRequest.Value: " + VALUE_LIMIT));
    assertNothingStored(user);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{}", "{\"value\":\"\"}", "{\"value\":null}", ""})
  void set_emptyValue_returns400NamingTheField(String body) {
    assertThat(json(owner.set(newUser(), "k", body), 400))
        .isEqualTo(error(3, "invalid SetUserMetadataRequest.Value: " + VALUE_LIMIT));
  }

  @Test
  void get_key201Chars_returns400NamingTheField() {
    assertThat(json(owner.get(newUser(), "k".repeat(201)), 400))
        .isEqualTo(runesError("GetUserMetadataRequest.Key"));
  }

  @Test
  void remove_key201Chars_returns400NamingTheField() {
    assertThat(json(owner.remove(newUser(), "k".repeat(201)), 400))
        .isEqualTo(runesError("RemoveUserMetadataRequest.Key"));
  }

  @Test
  void list_keyQuery201Chars_returns400NamingTheField() {
    String body = "{\"queries\":[{\"keyQuery\":{\"key\":\"" + "k".repeat(201) + "\"}}]}";
    assertThat(json(owner.list(newUser(), body), 400))
        .isEqualTo(
            error(3, "invalid MetadataKeyQuery.Key: value length must be at most 200 runes"));
  }

  @Test
  void list_keyQuery200Chars_isAccepted() {
    String body = "{\"queries\":[{\"keyQuery\":{\"key\":\"" + "k".repeat(200) + "\"}}]}";
    assertThat(json(owner.list(newUser(), body), 200)).isEqualTo(new JsonObject());
  }

  static Stream<Arguments> everyEndpoint() {
    return Stream.of(
        endpoint("SetUserMetadataRequest", u -> owner.setText(u, "k", "v")),
        endpoint("BulkSetUserMetadataRequest", u -> owner.bulkSetText(u, "k", "v")),
        endpoint("GetUserMetadataRequest", u -> owner.get(u, "k")),
        endpoint("ListUserMetadataRequest", u -> owner.list(u, "{}")),
        endpoint("RemoveUserMetadataRequest", u -> owner.remove(u, "k")),
        endpoint("BulkRemoveUserMetadataRequest", u -> owner.bulkRemove(u, "{\"keys\":[\"k\"]}")));
  }

  private static Arguments endpoint(String message, Function<String, Response> call) {
    return Arguments.of(message, call);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_userId201Chars_returns400NamingTheField(
      String message, Function<String, Response> call) {
    assertThat(json(call.apply("u".repeat(201)), 400)).isEqualTo(runesError(message + ".Id"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("everyEndpoint")
  void anyEndpoint_emptyUserId_returns400NamingTheField(
      String message, Function<String, Response> call) {
    assertThat(json(call.apply(""), 400)).isEqualTo(runesError(message + ".Id"));
  }

  @Test
  void set_userId201FourByteRunes_returns400() {
    assertThat(json(owner.setText("\uD83D\uDE00".repeat(201), "k", "v"), 400))
        .isEqualTo(runesError("SetUserMetadataRequest.Id"));
  }

  // ---- bulk set with an empty or missing list: 9, 400, META-9mm2d

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{\"metadata\":[]}", "{}", "{\"metadata\":null}", ""})
  void bulkSet_emptyOrMissingList_returns400FailedPreconditionMeta9mm2d(String body) {
    assertThat(json(owner.bulkSet(newUser(), body), 400))
        .isEqualTo(error(9, "META-9mm2d", "Metadata list is empty"));
  }

  // ---- metadata entry invalid (checked after parsing): 3, 400, META-2m00f

  @Test
  void set_keyWithNulCharacter_returns400Meta2m00fAndStoresNothing() {
    String user = newUser();
    var r = owner.raw("POST", V1.USERS + user + "/metadata/a%00b", "{\"value\":\"dg==\"}");
    assertThat(json(r, 400)).isEqualTo(error(3, "META-2m00f", "Metadata is invalid"));
    assertNothingStored(user);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"\\u0000", "a\\ud800", "\\udc00a", "a\\ud800\\ud800b", "\\udfff\\ud800"})
  void bulkSet_keyWithNulOrLoneSurrogate_returns400Meta2m00fAndStoresNothing(String jsonKey) {
    String user = newUser();
    String body =
        "{\"metadata\":[{\"key\":\"ok\",\"value\":\"dg==\"},{\"key\":\""
            + jsonKey
            + "\",\"value\":\"dg==\"}]}";
    assertThat(json(owner.bulkSet(user, body), 400))
        .isEqualTo(error(3, "META-2m00f", "Metadata is invalid"));
    assertNothingStored(user);
  }

  @Test
  void bulkSet_surrogatePair_isAValidKey() {
    String user = newUser();
    String body = "{\"metadata\":[{\"key\":\"\\ud83d\\ude00\",\"value\":\"dg==\"}]}";
    json(owner.bulkSet(user, body), 200);
    json(owner.get(user, "\uD83D\uDE00"), 200);
  }

  // ---- not found: 5, 404, with the ZITADEL id of each call

  @Test
  void remove_keyNotFound_returns404MetaNcnw3() {
    assertThat(json(owner.remove(newUser(), "k"), 404))
        .isEqualTo(error(5, "META-ncnw3", "Metadata not found"));
  }

  @Test
  void bulkRemove_anyKeyNotFound_returns404Meta2nndsAndRemovesNothing() {
    String user = newUser();
    owner.setText(user, "a", "1");
    assertThat(json(owner.bulkRemove(user, "{\"keys\":[\"a\",\"b\"]}"), 404))
        .isEqualTo(error(5, "META-2nnds", "One or more keys do not exist"));
    json(owner.get(user, "a"), 200);
  }

  @Test
  void get_keyNotFound_returns404QueryRgh32() {
    assertThat(json(owner.get(newUser(), "k"), 404))
        .isEqualTo(error(5, "QUERY-Rgh32", "Metadata not found"));
  }

  /** The user has no metadata at all: List answers an empty message. */
  private static void assertNothingStored(String user) {
    assertThat(json(owner.list(user, "{}"), 200)).isEqualTo(new JsonObject());
  }
}
