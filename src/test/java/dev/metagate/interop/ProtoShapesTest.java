package dev.metagate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drift check itself (OfficialClientsIT compares against @zitadel/proto): our shapes read as
 * proto-fields.mjs prints them, and every kind of drift is reported.
 */
class ProtoShapesTest {
  private static final Map<String, Map<String, String>> OURS = ProtoShapes.of(ProtoShapes.OURS);

  @Test
  void ourShapes_areWrittenAsTheNodeScriptWritesThem() {
    assertThat(OURS.get("zitadel.management.v1.BulkSetUserMetadataRequest"))
        .containsExactly(
            Map.entry("id", "1 string"),
            Map.entry(
                "metadata",
                "2 zitadel.management.v1.BulkSetUserMetadataRequest.Metadata repeated"));
    assertThat(OURS.get("zitadel.metadata.v1.MetadataQuery"))
        .containsExactly(
            Map.entry("key_query", "1 zitadel.metadata.v1.MetadataKeyQuery oneof query"));
    // proto3 optional is a synthetic oneof: not part of the shape
    assertThat(OURS.get("zitadel.user.v2.ListUserMetadataRequest"))
        .containsEntry("pagination", "2 zitadel.filter.v2.PaginationRequest");
    assertThat(OURS.get("zitadel.v1.TextQueryMethod"))
        .containsEntry("TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE", "7");
    assertThat(OURS.get("zitadel.user.v2.UserService"))
        .containsEntry(
            "DeleteUserMetadata",
            "zitadel.user.v2.DeleteUserMetadataRequest -> zitadel.user.v2.DeleteUserMetadataResponse");
  }

  @Test
  void sameShapes_orMoreOnTheirSide_noDifference() {
    Map<String, Map<String, String>> theirs = copy(OURS);
    theirs.get("zitadel.v1.ObjectDetails").put("extra_field", "9 string");
    theirs.put("zitadel.v1.SomethingElse", Map.of("a", "1 string"));
    assertThat(ProtoShapes.differences(OURS, theirs)).isEmpty();
  }

  @Test
  void everyKindOfDrift_isReported() {
    Map<String, Map<String, String>> theirs = copy(OURS);
    theirs.get("zitadel.management.v1.GetUserMetadataRequest").put("key", "3 string");
    theirs.get("zitadel.v1.ObjectDetails").put("sequence", "1 int64");
    theirs.get("zitadel.user.v2.DeleteUserMetadataRequest").put("keys", "2 string");
    theirs
        .get("zitadel.metadata.v1.MetadataQuery")
        .put("key_query", "1 zitadel.metadata.v1.MetadataKeyQuery");
    theirs.get("zitadel.filter.v2.TextFilterMethod").remove("TEXT_FILTER_METHOD_CONTAINS");
    theirs.get("zitadel.user.v2.UserService").put("ListUserMetadata", "a -> b");
    theirs.remove("zitadel.metadata.v2.MetadataKeyFilter");

    assertThat(ProtoShapes.differences(OURS, theirs))
        .containsExactlyInAnyOrder(
            "zitadel.management.v1.GetUserMetadataRequest.key: ours '2 string', theirs '3 string'",
            "zitadel.v1.ObjectDetails.sequence: ours '1 uint64', theirs '1 int64'",
            "zitadel.user.v2.DeleteUserMetadataRequest.keys: ours '2 string repeated', theirs '2"
                + " string'",
            "zitadel.metadata.v1.MetadataQuery.key_query: ours '1"
                + " zitadel.metadata.v1.MetadataKeyQuery oneof query', theirs '1"
                + " zitadel.metadata.v1.MetadataKeyQuery'",
            "zitadel.filter.v2.TextFilterMethod.TEXT_FILTER_METHOD_CONTAINS: ours '4', theirs has"
                + " no TEXT_FILTER_METHOD_CONTAINS",
            "zitadel.user.v2.UserService.ListUserMetadata: ours"
                + " 'zitadel.user.v2.ListUserMetadataRequest ->"
                + " zitadel.user.v2.ListUserMetadataResponse', theirs 'a -> b'",
            "zitadel.metadata.v2.MetadataKeyFilter: not in @zitadel/proto");
  }

  @Test
  void parse_readsTheScriptsJson() {
    assertThat(
            ProtoShapes.parse(
                "{\"zitadel.user.v2.Metadata\":{\"key\":\"1 string\",\"value\":\"2 bytes\"}}"))
        .isEqualTo(
            Map.of("zitadel.user.v2.Metadata", Map.of("key", "1 string", "value", "2 bytes")));
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> shapes) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    shapes.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
    return out;
  }
}
