package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zitadel.management.v1.ManagementServiceGrpcClient;
import com.zitadel.management.v1.SetUserMetadataRequest;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Grpc;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream mode with {@code credentials: token}: callers are authenticated and authorized locally
 * as in local mode, refused callers cost no upstream call, and ZITADEL is called with metagate's
 * PAT and an explicit organization header.
 */
@ExtendWith(Invariants.class)
class UpstreamTokenModeTest {
  private static TestIssuer issuer;
  private static FakeZitadel fake;
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    fake = FakeZitadel.start(issuer);
    gw =
        Upstreams.gateway(
            fake,
            Map.of(
                "METAGATE_UPSTREAM_CREDENTIALS", "token", "METAGATE_UPSTREAM_TOKEN", fake.pat()));
  }

  @AfterAll
  static void stop() {
    gw.close();
    fake.close();
    issuer.close();
  }

  @BeforeEach
  void reset() {
    fake.resetCounters();
  }

  @Test
  void authorizedCaller_upstreamCalledWithPatAndCallersOrg() {
    String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
    var r = gw.http().post(path("tu-1", "k"), owner, "{\"value\":\"YQ==\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var seen = fake.lastHeaders("SetUserMetadata");
    assertThat(seen.get("authorization")).isEqualTo("Bearer " + fake.pat());
    assertThat(seen.get("x-zitadel-orgid")).isEqualTo(Upstreams.ORG);
    assertThat(r.json().getJsonObject("details").getString("resourceOwner"))
        .isEqualTo(Upstreams.ORG);
    var got = gw.http().get(path("tu-1", "k"), owner);
    assertThat(got.json().getJsonObject("metadata").getString("value")).isEqualTo("YQ==");
  }

  @Test
  void selfService_userWritesOwnMetadata() {
    String self = issuer.token("tu-self", Upstreams.ORG);
    assertThat(gw.http().post(path("tu-self", "k"), self, "{\"value\":\"YQ==\"}").status())
        .isEqualTo(200);
  }

  @Test
  void callerWithoutToken_401Locally_noUpstreamCall() {
    var r = gw.http().get(path("tu-2", "k"), null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(fake.totalCalls()).isZero();
  }

  @Test
  void callerOfAnotherOrg_403Locally_noUpstreamCall() {
    String stranger = issuer.token("someone", "org-2", "ORG_OWNER");
    var r =
        gw.http()
            .call("GET", path("tu-3", "k"))
            .token(stranger)
            .header("x-zitadel-orgid", Upstreams.ORG)
            .send();
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("AUTH-Bs7Ds");
    assertThat(fake.totalCalls()).isZero();
  }

  @Test
  void grpc_authorizedLocally_calledWithPat_refusedCallersCostNothing() {
    try (Grpc grpc = Grpc.connect(gw.gateway().apiPort())) {
      String owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
      var set =
          SetUserMetadataRequest.newBuilder()
              .setId("tu-g")
              .setKey("k")
              .setValue(ByteString.copyFromUtf8("a"))
              .build();
      var ok = grpc.as(owner).call(ManagementServiceGrpcClient.SetUserMetadata, set);
      assertThat(ok.status()).as(ok.toString()).isEqualTo(GrpcStatus.OK);
      assertThat(ok.body().getDetails().getResourceOwner()).isEqualTo(Upstreams.ORG);
      var seen = fake.lastHeaders("SetUserMetadata");
      assertThat(seen.get("authorization")).isEqualTo("Bearer " + fake.pat());
      assertThat(seen.get("x-zitadel-orgid")).isEqualTo(Upstreams.ORG);

      fake.resetCounters();
      String stranger = issuer.token("someone", "org-2", "ORG_OWNER");
      var refused =
          grpc.as(stranger)
              .org(Upstreams.ORG)
              .call(ManagementServiceGrpcClient.SetUserMetadata, set);
      assertThat(refused.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      assertThat(refused.message()).contains("AUTH-Bs7Ds");
      var anonymous = grpc.as(null).call(ManagementServiceGrpcClient.SetUserMetadata, set);
      assertThat(anonymous.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      assertThat(fake.totalCalls()).isZero();
    }
  }

  @Test
  void readOnlyCaller_writeRefused403Locally_noUpstreamCall() {
    String viewer = issuer.token("viewer", Upstreams.ORG, "ORG_OWNER_VIEWER");
    var r = gw.http().post(path("tu-4", "k"), viewer, "{\"value\":\"YQ==\"}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(fake.totalCalls()).isZero();
    assertThat(gw.http().get(path("tu-4", "k"), viewer).status()).isEqualTo(404);
    assertThat(fake.calls("ListUserMetadata")).isEqualTo(1);
  }

  @Test
  void badBodyFromUnauthenticatedCaller_400BeforeAuthentication_noUpstreamCall() {
    var r = gw.http().post(path("tu-5", "k"), "not-a-token", "{");
    assertThat(r.status()).isEqualTo(400);
    assertThat(fake.totalCalls()).isZero();
  }
}
