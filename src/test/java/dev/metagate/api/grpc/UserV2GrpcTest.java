package dev.metagate.api.grpc;

import static com.zitadel.user.v2.UserServiceGrpcClient.DeleteUserMetadata;
import static com.zitadel.user.v2.UserServiceGrpcClient.ListUserMetadata;
import static com.zitadel.user.v2.UserServiceGrpcClient.SetUserMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.zitadel.filter.v2.PaginationRequest;
import com.zitadel.filter.v2.TextFilterMethod;
import com.zitadel.metadata.v2.MetadataKeyFilter;
import com.zitadel.metadata.v2.MetadataSearchFilter;
import com.zitadel.user.v2.DeleteUserMetadataRequest;
import com.zitadel.user.v2.ListUserMetadataRequest;
import com.zitadel.user.v2.Metadata;
import com.zitadel.user.v2.SetUserMetadataRequest;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

/** The three v2 UserService methods over gRPC, on the same data as v1. */
class UserV2GrpcTest extends GrpcGateway {

  private static Metadata md(String key, String value) {
    return Metadata.newBuilder().setKey(key).setValue(bytes(value)).build();
  }

  private static SetUserMetadataRequest set(String user, Metadata... entries) {
    return SetUserMetadataRequest.newBuilder()
        .setUserId(user)
        .addAllMetadata(java.util.List.of(entries))
        .build();
  }

  @Test
  void set_answersSetDate_andListPagesNewestFirst_likeRestV2() {
    String user = newUser();
    var set = owner.call(SetUserMetadata, set(user, md("b", "2"), md("a", "1"), md("c", "3")));
    assertThat(set.status()).isEqualTo(GrpcStatus.OK);
    assertThat(set.body().hasSetDate()).isTrue();

    var listed =
        owner.call(
            ListUserMetadata,
            ListUserMetadataRequest.newBuilder()
                .setUserId(user)
                .setPagination(PaginationRequest.newBuilder().setLimit(2))
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.OK);
    assertThat(listed.body().getPagination().getTotalResult()).isEqualTo(3);
    assertThat(listed.body().getPagination().getAppliedLimit()).isEqualTo(2);
    assertThat(listed.body().getMetadataList())
        .extracting(m -> m.getKey())
        .containsExactly("c", "b"); // one bulk: equal creation dates, by key, reversed
    var first = listed.body().getMetadata(0);
    assertThat(first.getValue()).isEqualTo(bytes("3"));
    assertThat(first.hasCreationDate()).isTrue();
    assertThat(first.getChangeDate().getSeconds()).isEqualTo(set.body().getSetDate().getSeconds());
  }

  @Test
  void list_withoutPagination_appliesTheDefaultLimitAndFilters() {
    String user = newUser();
    owner.call(SetUserMetadata, set(user, md("Plan", "x"), md("other", "y")));
    var listed =
        owner.call(
            ListUserMetadata,
            ListUserMetadataRequest.newBuilder()
                .setUserId(user)
                .addFilters(
                    MetadataSearchFilter.newBuilder()
                        .setKeyFilter(
                            MetadataKeyFilter.newBuilder()
                                .setKey("plan")
                                .setMethod(TextFilterMethod.TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE)))
                .build());
    assertThat(listed.body().getPagination().getAppliedLimit()).isEqualTo(100);
    assertThat(listed.body().getMetadataList()).extracting(m -> m.getKey()).containsExactly("Plan");
  }

  @Test
  void list_limitOver1000_isInvalidArgumentQuery4M0fs_asOverRest() {
    var listed =
        owner.call(
            ListUserMetadata,
            ListUserMetadataRequest.newBuilder()
                .setUserId(newUser())
                .setPagination(PaginationRequest.newBuilder().setLimit(1001))
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(listed.message()).isEqualTo("Limit exceeded (QUERY-4M0fs)");
  }

  @Test
  void list_filterWithoutKeyFilter_isTheRequiredOneofError_asOverRest() {
    var listed =
        owner.call(
            ListUserMetadata,
            ListUserMetadataRequest.newBuilder()
                .setUserId(newUser())
                .addFilters(MetadataSearchFilter.getDefaultInstance())
                .build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(listed.message())
        .isEqualTo(
            "invalid ListUserMetadataRequest.Filters[0]: embedded message failed validation"
                + " | caused by: invalid MetadataSearchFilter.Filter: value is required");
  }

  @Test
  void set_emptyList_isFailedPreconditionMeta9mm2d() {
    var reply = owner.call(SetUserMetadata, set(newUser()));
    assertThat(reply.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(reply.message()).isEqualTo("Metadata list is empty (META-9mm2d)");
  }

  @Test
  void set_valueOver500000Bytes_isInvalidArgument_andStoresNothing() {
    String user = newUser();
    var big =
        Metadata.newBuilder()
            .setKey("big")
            .setValue(com.google.protobuf.ByteString.copyFrom(new byte[500_001]))
            .build();
    var reply = owner.call(SetUserMetadata, set(user, md("ok", "v"), big));
    assertThat(reply.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(reply.message()) // the v2 names, as over REST
        .isEqualTo(
            "invalid SetUserMetadataRequest.Metadata[1]: embedded message failed validation"
                + " | caused by: invalid Metadata.Value: value length must be between 1 and"
                + " 500000 bytes, inclusive");
    var listed =
        owner.call(ListUserMetadata, ListUserMetadataRequest.newBuilder().setUserId(user).build());
    assertThat(listed.body().getMetadataCount()).isZero();
  }

  @Test
  void delete_oneKeyMissing_isNotFound_andDeletesNothing() {
    String user = newUser();
    owner.call(SetUserMetadata, set(user, md("k1", "v"), md("k2", "v")));
    var deleted =
        owner.call(
            DeleteUserMetadata,
            DeleteUserMetadataRequest.newBuilder()
                .setUserId(user)
                .addKeys("k1")
                .addKeys("nope")
                .build());
    assertThat(deleted.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(deleted.message()).isEqualTo("One or more keys do not exist (META-2nnds)");

    var ok =
        owner.call(
            DeleteUserMetadata,
            DeleteUserMetadataRequest.newBuilder().setUserId(user).addKeys("k1").build());
    assertThat(ok.status()).isEqualTo(GrpcStatus.OK);
    assertThat(ok.body().hasDeletionDate()).isTrue();
    var listed =
        owner.call(ListUserMetadata, ListUserMetadataRequest.newBuilder().setUserId(user).build());
    assertThat(listed.body().getMetadataList()).extracting(m -> m.getKey()).containsExactly("k2");
  }

  @Test
  void withoutToken_everyV2Method_isUnauthenticated() {
    var anonymous = grpc.as(null);
    assertThat(anonymous.call(SetUserMetadata, set("u", md("k", "v"))).status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(
            anonymous
                .call(ListUserMetadata, ListUserMetadataRequest.newBuilder().setUserId("u").build())
                .status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(
            anonymous
                .call(
                    DeleteUserMetadata,
                    DeleteUserMetadataRequest.newBuilder().setUserId("u").addKeys("k").build())
                .status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  void otherOrgsUser_isPermissionDeniedAuthBs7Ds() {
    var reply = owner.org("foreign").call(SetUserMetadata, set(newUser(), md("k", "v")));
    assertThat(reply.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(reply.message()).isEqualTo("No matching permissions found (AUTH-Bs7Ds)");
  }
}
