package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.metadata.Details;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void timestamps_useTheFewestOf0_3Or6FractionDigits() {
    assertThat(Json.timestamp(1_742_899_438_000_000L)).isEqualTo("2025-03-25T10:43:58Z");
    assertThat(Json.timestamp(1_742_899_438_308_000L)).isEqualTo("2025-03-25T10:43:58.308Z");
    assertThat(Json.timestamp(1_742_899_438_008_000L)).isEqualTo("2025-03-25T10:43:58.008Z");
    assertThat(Json.timestamp(1_742_899_438_308_123L)).isEqualTo("2025-03-25T10:43:58.308123Z");
    assertThat(Json.timestamp(1_742_899_438_000_001L)).isEqualTo("2025-03-25T10:43:58.000001Z");
    assertThat(Json.timestamp(0)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(Json.timestamp(951_868_799_999_000L)).isEqualTo("2000-02-29T23:59:59.999Z");
    assertThat(Json.timestamp(-1_000L)).isEqualTo("1969-12-31T23:59:59.999Z");
  }

  @Test
  void details_leaveZeroValuesOut_andWriteInt64AsStrings() {
    assertThat(Json.details(new Details(7, 0, 1_742_899_438_308_000L, "org")))
        .isEqualTo(
            "{\"sequence\":\"7\",\"changeDate\":\"2025-03-25T10:43:58.308Z\",\"resourceOwner\":\"org\"}");
    assertThat(Json.details(new Details(0, 0, 0, ""))).isEqualTo("{}");
  }

  @Test
  void strings_areEscapedAsJsonRequires_andParseBack() {
    String key = "q\"b\\s/\n\t\u0001ü😀";
    StringBuilder sb = new StringBuilder();
    dev.metagate.json.JsonStrings.quote(sb, key);
    assertThat(sb.toString()).isEqualTo("\"q\\\"b\\\\s/\\n\\t\\u0001ü😀\"");
    assertThat(new io.vertx.core.json.JsonArray("[" + sb + "]").getString(0)).isEqualTo(key);
  }

  @Test
  void metadata_rendersAGetAnswer() {
    var e =
        new dev.metagate.metadata.MetadataEntry(
            "k", new byte[] {1, 2, 3}, 2, 1_742_899_438_000_000L, 1_742_899_438_308_000L);
    assertThat(new io.vertx.core.json.JsonObject(Json.metadata(e, "org")))
        .isEqualTo(
            new io.vertx.core.json.JsonObject(
                "{\"metadata\":{\"details\":{\"sequence\":\"2\",\"creationDate\":\"2025-03-25T10:43:58Z\","
                    + "\"changeDate\":\"2025-03-25T10:43:58.308Z\",\"resourceOwner\":\"org\"},"
                    + "\"key\":\"k\",\"value\":\"AQID\"}}"));
  }
}
