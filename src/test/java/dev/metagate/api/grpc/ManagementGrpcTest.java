package dev.metagate.api.grpc;

import static com.zitadel.management.v1.ManagementServiceGrpcClient.BulkRemoveUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.BulkSetUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.GetUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.ListUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.RemoveUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.SetUserMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import com.zitadel.management.v1.BulkRemoveUserMetadataRequest;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataResponse;
import com.zitadel.management.v1.ListUserMetadataRequest;
import com.zitadel.management.v1.ListUserMetadataResponse;
import com.zitadel.management.v1.RemoveUserMetadataRequest;
import com.zitadel.management.v1.SetUserMetadataRequest;
import com.zitadel.metadata.v1.MetadataKeyQuery;
import com.zitadel.metadata.v1.MetadataQuery;
import com.zitadel.v1.ErrorDetail;
import com.zitadel.v1.ListQuery;
import com.zitadel.v1.TextQueryMethod;
import dev.metagate.testing.Grpc.Reply;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The six v1 ManagementService methods over gRPC: the happy path and each error row of api.md. */
class ManagementGrpcTest extends GrpcGateway {

  private static Reply<?> bulkSet(String user, BulkSetUserMetadataRequest.Metadata... entries) {
    return owner.call(
        BulkSetUserMetadata,
        BulkSetUserMetadataRequest.newBuilder()
            .setId(user)
            .addAllMetadata(java.util.List.of(entries))
            .build());
  }

  private static Reply<GetUserMetadataResponse> get(String user, String key) {
    return owner.call(
        GetUserMetadata, GetUserMetadataRequest.newBuilder().setId(user).setKey(key).build());
  }

  private static Reply<ListUserMetadataResponse> list(ListUserMetadataRequest request) {
    return owner.call(ListUserMetadata, request);
  }

  @Test
  void bulkSet_thenGetAndList_answerWithZitadelDetails() {
    String user = newUser();
    var set = bulkSet(user, entry("plan", "pro"), entry("tenant", "acme"));
    assertThat(set.status()).isEqualTo(GrpcStatus.OK);
    var details = ((com.zitadel.management.v1.BulkSetUserMetadataResponse) set.body()).getDetails();
    assertThat(details.getSequence()).isEqualTo(2); // one event per entry, as in ZITADEL
    assertThat(details.hasChangeDate()).isTrue();
    assertThat(details.hasCreationDate()).isFalse();
    assertThat(details.getResourceOwner()).isEqualTo(ORG);

    var got = get(user, "plan");
    assertThat(got.status()).isEqualTo(GrpcStatus.OK);
    assertThat(got.body().getMetadata().getKey()).isEqualTo("plan");
    assertThat(got.body().getMetadata().getValue()).isEqualTo(bytes("pro"));
    assertThat(got.body().getMetadata().getDetails().getResourceOwner()).isEqualTo(ORG);
    assertThat(got.body().getMetadata().getDetails().hasCreationDate()).isTrue();

    var listed =
        list(
            ListUserMetadataRequest.newBuilder()
                .setId(user)
                .addQueries(
                    MetadataQuery.newBuilder()
                        .setKeyQuery(
                            MetadataKeyQuery.newBuilder()
                                .setKey("T")
                                .setMethod(
                                    TextQueryMethod.TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE)))
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.OK);
    assertThat(listed.body().getDetails().getTotalResult()).isEqualTo(1);
    assertThat(listed.body().getDetails().getProcessedSequence()).isEqualTo(2);
    assertThat(listed.body().getResultList()).extracting(m -> m.getKey()).containsExactly("tenant");
  }

  @Test
  void set_answersCreationDate_andGetReadsTheValueBack() {
    String user = newUser();
    var set =
        owner.call(
            SetUserMetadata,
            SetUserMetadataRequest.newBuilder()
                .setId(user)
                .setKey("a/b")
                .setValue(bytes("v"))
                .build());
    assertThat(set.status()).isEqualTo(GrpcStatus.OK);
    assertThat(set.body().getDetails().hasCreationDate()).isTrue();
    assertThat(set.body().getDetails().hasChangeDate()).isFalse();
    assertThat(get(user, "a/b").body().getMetadata().getValue()).isEqualTo(bytes("v"));
  }

  @Test
  void list_unknownUser_isEmptyNotAnError() {
    var listed = list(ListUserMetadataRequest.newBuilder().setId(newUser()).build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.OK);
    assertThat(listed.body().getResultCount()).isZero();
    assertThat(listed.body().getDetails().getTotalResult()).isZero();
  }

  @Test
  void list_pagesWithOffsetAndLimit() {
    String user = newUser();
    bulkSet(user, entry("a", "1"), entry("b", "2"), entry("c", "3"));
    var page =
        list(
            ListUserMetadataRequest.newBuilder()
                .setId(user)
                .setQuery(ListQuery.newBuilder().setOffset(1).setLimit(1))
                .build());
    assertThat(page.body().getResultList()).extracting(m -> m.getKey()).containsExactly("b");
    assertThat(page.body().getDetails().getTotalResult()).isEqualTo(3);
  }

  @Test
  void get_missingKey_isNotFoundQueryRgh32_withTheRestMessageText() {
    var got = get(newUser(), "nope");
    assertThat(got.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(got.message()).isEqualTo("Metadata not found (QUERY-Rgh32)");
  }

  @Test
  void get_missingKey_carriesZitadelsErrorDetail_inGrpcStatusDetailsBin() throws Exception {
    var got = get(newUser(), "nope");
    assertThat(got.statusDetails()).doesNotEndWith("="); // unpadded, as grpc-go sends it
    Status status = Status.parseFrom(Base64.getDecoder().decode(got.statusDetails()));
    assertThat(status.getCode()).isEqualTo(5);
    assertThat(status.getMessage()).isEqualTo("Metadata not found (QUERY-Rgh32)");
    assertThat(status.getDetailsList()).hasSize(1);
    assertThat(status.getDetails(0).getTypeUrl())
        .isEqualTo("type.googleapis.com/zitadel.v1.ErrorDetail");
    ErrorDetail detail = status.getDetails(0).unpack(ErrorDetail.class);
    assertThat(detail.getId()).isEqualTo("QUERY-Rgh32");
    assertThat(detail.getMessage()).isEqualTo("Metadata not found");
  }

  @Test
  void fieldValidationError_carriesNoStatusDetails_asItsRestBodyHasNone() {
    var set = bulkSet(newUser(), entry("", "v"));
    assertThat(set.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(set.statusDetails()).isNull();
  }

  @Test
  void remove_missingKey_isNotFoundMetaNcnw3() {
    var removed =
        owner.call(
            RemoveUserMetadata,
            RemoveUserMetadataRequest.newBuilder().setId(newUser()).setKey("nope").build());
    assertThat(removed.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(removed.message()).isEqualTo("Metadata not found (META-ncnw3)");
  }

  @Test
  void remove_existingKey_answersChangeDate_andTheKeyIsGone() {
    String user = newUser();
    bulkSet(user, entry("k", "v"));
    var removed =
        owner.call(
            RemoveUserMetadata,
            RemoveUserMetadataRequest.newBuilder().setId(user).setKey("k").build());
    assertThat(removed.status()).isEqualTo(GrpcStatus.OK);
    assertThat(removed.body().getDetails().getSequence()).isEqualTo(2); // set 1, remove 2
    assertThat(removed.body().getDetails().hasChangeDate()).isTrue();
    assertThat(get(user, "k").status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void bulkRemove_oneKeyMissing_isNotFoundMeta2nnds_andRemovesNothing() {
    String user = newUser();
    bulkSet(user, entry("k1", "v"), entry("k2", "v"));
    var removed =
        owner.call(
            BulkRemoveUserMetadata,
            BulkRemoveUserMetadataRequest.newBuilder()
                .setId(user)
                .addKeys("k1")
                .addKeys("missing")
                .build());
    assertThat(removed.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(removed.message()).isEqualTo("One or more keys do not exist (META-2nnds)");
    assertThat(get(user, "k1").status()).isEqualTo(GrpcStatus.OK);

    var ok =
        owner.call(
            BulkRemoveUserMetadata,
            BulkRemoveUserMetadataRequest.newBuilder().setId(user).addKeys("k1").build());
    assertThat(ok.status()).isEqualTo(GrpcStatus.OK);
    assertThat(ok.body().getDetails().hasChangeDate()).isTrue();
  }

  @Test
  void bulkSet_emptyList_isFailedPreconditionMeta9mm2d() {
    var set = bulkSet(newUser());
    assertThat(set.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(set.message()).isEqualTo("Metadata list is empty (META-9mm2d)");
  }

  @Test
  void bulkRemove_noKeys_isFailedPreconditionMeta9mm2d() {
    var removed =
        owner.call(
            BulkRemoveUserMetadata,
            BulkRemoveUserMetadataRequest.newBuilder().setId(newUser()).build());
    assertThat(removed.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(removed.message()).isEqualTo("Metadata list is empty (META-9mm2d)");
  }

  @Test
  void bulkSet_valueOver500000Bytes_isInvalidArgument_andStoresNothing() {
    String user = newUser();
    var big =
        BulkSetUserMetadataRequest.Metadata.newBuilder()
            .setKey("big")
            .setValue(ByteString.copyFrom(new byte[500_001]))
            .build();
    var set = bulkSet(user, entry("small", "v"), big);
    assertThat(set.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(set.message())
        .isEqualTo(
            "invalid BulkSetUserMetadataRequest.Metadata[1]: embedded message failed validation"
                + " | caused by: invalid BulkSetUserMetadataRequest_Metadata.Value: value length"
                + " must be between 1 and 500000 bytes, inclusive");
    assertThat(get(user, "small").status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void bulkSet_valueOfExactly500000Bytes_isStored() {
    String user = newUser();
    var max =
        BulkSetUserMetadataRequest.Metadata.newBuilder()
            .setKey("max")
            .setValue(ByteString.copyFrom(new byte[500_000]))
            .build();
    assertThat(bulkSet(user, max).status()).isEqualTo(GrpcStatus.OK);
    assertThat(get(user, "max").body().getMetadata().getValue().size()).isEqualTo(500_000);
  }

  @Test
  void set_keyOver200Characters_isInvalidArgumentNamingTheField() {
    var set =
        owner.call(
            SetUserMetadata,
            SetUserMetadataRequest.newBuilder()
                .setId(newUser())
                .setKey("k".repeat(201))
                .setValue(bytes("v"))
                .build());
    assertThat(set.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(set.message()).contains("SetUserMetadataRequest.Key");
  }

  @Test
  void set_emptyValue_isInvalidArgument() {
    var set =
        owner.call(
            SetUserMetadata,
            SetUserMetadataRequest.newBuilder().setId(newUser()).setKey("k").build());
    assertThat(set.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(set.message()).contains("SetUserMetadataRequest.Value");
  }

  @Test
  void set_userIdOver200Characters_isInvalidArgument() {
    var set =
        owner.call(
            SetUserMetadata,
            SetUserMetadataRequest.newBuilder()
                .setId("u".repeat(201))
                .setKey("k")
                .setValue(bytes("v"))
                .build());
    assertThat(set.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void set_keyWithNul_isInvalidArgumentMeta2m00f() {
    var set =
        owner.call(
            SetUserMetadata,
            SetUserMetadataRequest.newBuilder()
                .setId(newUser())
                .setKey("a\u0000b")
                .setValue(bytes("v"))
                .build());
    assertThat(set.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(set.message()).isEqualTo("Metadata is invalid (META-2m00f)");
  }

  @Test
  void list_limitOver1000_isInvalidArgument() {
    var listed =
        list(
            ListUserMetadataRequest.newBuilder()
                .setId(newUser())
                .setQuery(ListQuery.newBuilder().setLimit(1001))
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(listed.message()).contains("ListQuery.Limit");
  }

  @Test
  void list_limitAboveInt32_isInvalidArgumentNotAWrap() {
    var listed =
        list(
            ListUserMetadataRequest.newBuilder()
                .setId(newUser())
                .setQuery(ListQuery.newBuilder().setLimit(-1)) // uint32 4294967295 on the wire
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void list_unknownTextQueryMethodNumber_isInvalidArgument() {
    var listed =
        list(
            ListUserMetadataRequest.newBuilder()
                .setId(newUser())
                .addQueries(
                    MetadataQuery.newBuilder()
                        .setKeyQuery(MetadataKeyQuery.newBuilder().setKey("k").setMethodValue(42)))
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(listed.message()).contains("zitadel.v1.TextQueryMethod");
  }
}
