package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zitadel.management.v1.ManagementServiceGrpcClient;
import com.zitadel.management.v1.SetUserMetadataRequest;
import dev.metagate.testing.Grpc;
import dev.metagate.testing.Invariants;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream mode with {@code credentials: token}: callers are authenticated and authorized locally
 * as in local mode, refused callers cost no upstream call, and ZITADEL is called with metagate's
 * PAT and an explicit organization header.
 */
@ExtendWith(Invariants.class)
class UpstreamTokenModeTest {

  @RegisterExtension
  static final Sidecar up =
      Sidecar.with(
          fake ->
              Map.of(
                  "METAGATE_UPSTREAM_CREDENTIALS", "token", "METAGATE_UPSTREAM_TOKEN", fake.pat()));

  @Test
  void authorizedCaller_upstreamCalledWithPatAndCallersOrg() {
    var r = up.gw.http().post(path("tu-1", "k"), up.owner, "{\"value\":\"YQ==\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var seen = up.fake.lastHeaders("SetUserMetadata");
    assertThat(seen.get("authorization")).isEqualTo("Bearer " + up.fake.pat());
    assertThat(seen.get("x-zitadel-orgid")).isEqualTo(Upstreams.ORG);
    assertThat(r.json().getJsonObject("details").getString("resourceOwner"))
        .isEqualTo(Upstreams.ORG);
    var got = up.gw.http().get(path("tu-1", "k"), up.owner);
    assertThat(got.json().getJsonObject("metadata").getString("value")).isEqualTo("YQ==");
  }

  @Test
  void selfService_userWritesOwnMetadata() {
    String self = up.issuer.token("tu-self", Upstreams.ORG);
    assertThat(up.gw.http().post(path("tu-self", "k"), self, "{\"value\":\"YQ==\"}").status())
        .isEqualTo(200);
  }

  @Test
  void callerWithoutToken_401Locally_noUpstreamCall() {
    var r = up.gw.http().get(path("tu-2", "k"), null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(up.fake.totalCalls()).isZero();
  }

  @Test
  void callerOfAnotherOrg_403Locally_noUpstreamCall() {
    String stranger = up.issuer.token("someone", "org-2", "ORG_OWNER");
    var r =
        up.gw
            .http()
            .call("GET", path("tu-3", "k"))
            .token(stranger)
            .header("x-zitadel-orgid", Upstreams.ORG)
            .send();
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("AUTH-Bs7Ds");
    assertThat(up.fake.totalCalls()).isZero();
  }

  @Test
  void grpc_authorizedLocally_calledWithPat_refusedCallersCostNothing() {
    try (Grpc grpc = Grpc.connect(up.gw.gateway().apiPort())) {
      var set =
          SetUserMetadataRequest.newBuilder()
              .setId("tu-g")
              .setKey("k")
              .setValue(ByteString.copyFromUtf8("a"))
              .build();
      var ok = grpc.as(up.owner).call(ManagementServiceGrpcClient.SetUserMetadata, set);
      assertThat(ok.status()).as(ok.toString()).isEqualTo(GrpcStatus.OK);
      assertThat(ok.body().getDetails().getResourceOwner()).isEqualTo(Upstreams.ORG);
      var seen = up.fake.lastHeaders("SetUserMetadata");
      assertThat(seen.get("authorization")).isEqualTo("Bearer " + up.fake.pat());
      assertThat(seen.get("x-zitadel-orgid")).isEqualTo(Upstreams.ORG);

      up.fake.resetCounters();
      String stranger = up.issuer.token("someone", "org-2", "ORG_OWNER");
      var refused =
          grpc.as(stranger)
              .org(Upstreams.ORG)
              .call(ManagementServiceGrpcClient.SetUserMetadata, set);
      assertThat(refused.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      assertThat(refused.message()).contains("AUTH-Bs7Ds");
      var anonymous = grpc.as(null).call(ManagementServiceGrpcClient.SetUserMetadata, set);
      assertThat(anonymous.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      assertThat(up.fake.totalCalls()).isZero();
    }
  }

  @Test
  void readOnlyCaller_writeRefused403Locally_noUpstreamCall() {
    String viewer = up.issuer.token("viewer", Upstreams.ORG, "ORG_OWNER_VIEWER");
    var r = up.gw.http().post(path("tu-4", "k"), viewer, "{\"value\":\"YQ==\"}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(up.fake.totalCalls()).isZero();
    assertThat(up.gw.http().get(path("tu-4", "k"), viewer).status()).isEqualTo(404);
    assertThat(up.fake.calls("ListUserMetadata")).isEqualTo(1);
  }

  @Test
  void badBodyFromUnauthenticatedCaller_400BeforeAuthentication_noUpstreamCall() {
    var r = up.gw.http().post(path("tu-5", "k"), "not-a-token", "{");
    assertThat(r.status()).isEqualTo(400);
    assertThat(up.fake.totalCalls()).isZero();
  }
}
