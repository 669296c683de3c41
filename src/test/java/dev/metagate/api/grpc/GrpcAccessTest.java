package dev.metagate.api.grpc;

import static com.zitadel.management.v1.ManagementServiceGrpcClient.BulkSetUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.GetUserMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.ManagementServiceGrpcService;
import com.zitadel.user.v2.UserServiceGrpcService;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * Authentication, authorization and org selection over gRPC metadata behave as the REST headers;
 * methods metagate does not serve are UNIMPLEMENTED; health is served without a token; a call that
 * outlives its grpc-timeout is DEADLINE_EXCEEDED and does no work.
 */
class GrpcAccessTest extends GrpcGateway {
  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> HEALTH_CHECK =
      ServiceMethod.client(
          ServiceName.create("grpc.health.v1", "Health"),
          "Check",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  private static BulkSetUserMetadataRequest bulk(String user) {
    return BulkSetUserMetadataRequest.newBuilder().setId(user).addMetadata(entry("k", "v")).build();
  }

  private static GetUserMetadataRequest getK(String user) {
    return GetUserMetadataRequest.newBuilder().setId(user).setKey("k").build();
  }

  @Test
  void noAuthorizationMetadata_isUnauthenticated() {
    var reply = grpc.as(null).call(BulkSetUserMetadata, bulk(newUser()));
    assertThat(reply.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  void tamperedToken_isUnauthenticated_andStoresNothing() {
    String user = newUser();
    String forged =
        dev.metagate.testing.TestIssuer.tamper(
            issuer.token("someone", ORG), issuer.claims("owner-1", ORG, "IAM_OWNER"));
    assertThat(grpc.as(forged).call(BulkSetUserMetadata, bulk(user)).status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(owner.call(GetUserMetadata, getK(user)).status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void readerRole_writing_isPermissionDenied() {
    var viewer = grpc.as(issuer.token("viewer", ORG, "ORG_OWNER_VIEWER"));
    var reply = viewer.call(BulkSetUserMetadata, bulk(newUser()));
    assertThat(reply.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(reply.message()).isEqualTo("No matching permissions found");
  }

  @Test
  void orgMetadataNamingAnOrgWithoutGrant_isPermissionDeniedAuthBs7Ds() {
    var reply = owner.org("other-org").call(GetUserMetadata, getK(newUser()));
    assertThat(reply.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(reply.message()).isEqualTo("No matching permissions found (AUTH-Bs7Ds)");
  }

  @Test
  void orgMetadata_picksTheOrganization_likeTheRestHeader() {
    String user = newUser();
    var iam = grpc.as(issuer.token("admin", "iam-org", "IAM_OWNER"));
    assertThat(iam.org("org-b").call(BulkSetUserMetadata, bulk(user)).status())
        .isEqualTo(GrpcStatus.OK);
    assertThat(iam.org("org-b").call(GetUserMetadata, getK(user)).status())
        .isEqualTo(GrpcStatus.OK);
    // the same user id in the caller's own org holds nothing
    assertThat(owner.call(GetUserMetadata, getK(user)).status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void otherManagementServiceMethod_isUnimplemented() {
    var reply = owner.call(unknown("zitadel.management.v1", "ManagementService", "GetMyOrg"), e());
    assertThat(reply.status()).isEqualTo(GrpcStatus.UNIMPLEMENTED);
  }

  @Test
  void otherUserServiceMethod_andUnknownService_areUnimplemented() {
    assertThat(owner.call(unknown("zitadel.user.v2", "UserService", "AddHumanUser"), e()).status())
        .isEqualTo(GrpcStatus.UNIMPLEMENTED);
    assertThat(owner.call(unknown("no.such.v1", "Service", "Method"), e()).status())
        .isEqualTo(GrpcStatus.UNIMPLEMENTED);
  }

  @Test
  void health_withoutToken_servesEachMetadataService() {
    var anonymous = grpc.as(null);
    for (String service :
        new String[] {
          "",
          ManagementServiceGrpcService.SERVICE_NAME.fullyQualifiedName(),
          UserServiceGrpcService.SERVICE_NAME.fullyQualifiedName()
        }) {
      var reply =
          anonymous.call(HEALTH_CHECK, HealthCheckRequest.newBuilder().setService(service).build());
      assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
      assertThat(reply.body().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void requestOutlivingItsGrpcTimeout_isDeadlineExceeded_andStoresNothing() {
    String user = newUser();
    var reply = owner.timeout(100).holdMessage(600).call(BulkSetUserMetadata, bulk(user));
    assertThat(reply.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(owner.call(GetUserMetadata, getK(user)).status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void generousGrpcTimeout_isHonouredWithoutFailing() {
    assertThat(owner.timeout(10_000).call(BulkSetUserMetadata, bulk(newUser())).status())
        .isEqualTo(GrpcStatus.OK);
  }

  private static ServiceMethod<Empty, Empty> unknown(String pkg, String service, String method) {
    return ServiceMethod.client(
        ServiceName.create(pkg, service),
        method,
        GrpcMessageEncoder.encoder(),
        GrpcMessageDecoder.decoder(Empty.newBuilder()));
  }

  private static Empty e() {
    return Empty.getDefaultInstance();
  }
}
