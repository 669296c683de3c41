package dev.metagate.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.BulkSetUserMetadataResponse;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataResponse;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** gRPC-web over HTTP/1.1 with a plain HTTP client: binary and text framing, trailers frame. */
class GrpcWebTest extends GrpcGateway {
  private static final String BULK_SET =
      "zitadel.management.v1.ManagementService/BulkSetUserMetadata";
  private static final String GET = "zitadel.management.v1.ManagementService/GetUserMetadata";

  private static String token() {
    return issuer.token("owner-1", ORG, "ORG_OWNER");
  }

  private static int port() {
    return gw.gateway().apiPort();
  }

  @Test
  void binary_bulkSetThenGet_overHttp11_endsWithAnOkTrailersFrame() throws Exception {
    String user = newUser();
    var set =
        GrpcWeb.call(
            port(),
            BULK_SET,
            BulkSetUserMetadataRequest.newBuilder()
                .setId(user)
                .addMetadata(entry("k", "v"))
                .build(),
            token(),
            false);
    assertThat(set.httpStatus()).isEqualTo(200);
    assertThat(set.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(set.grpcStatus()).isZero();
    assertThat(set.as(BulkSetUserMetadataResponse.parser()).getDetails().getResourceOwner())
        .isEqualTo(ORG);

    var got =
        GrpcWeb.call(
            port(),
            GET,
            GetUserMetadataRequest.newBuilder().setId(user).setKey("k").build(),
            token(),
            false);
    assertThat(got.grpcStatus()).isZero();
    assertThat(got.as(GetUserMetadataResponse.parser()).getMetadata().getValue())
        .isEqualTo(bytes("v"));
  }

  @Test
  void text_bulkSetThenGet_decodesBase64FramesAndTrailers() throws Exception {
    String user = newUser();
    var set =
        GrpcWeb.call(
            port(),
            BULK_SET,
            BulkSetUserMetadataRequest.newBuilder()
                .setId(user)
                .addMetadata(entry("t", "text"))
                .build(),
            token(),
            true);
    assertThat(set.grpcStatus()).isZero();
    var got =
        GrpcWeb.call(
            port(),
            GET,
            GetUserMetadataRequest.newBuilder().setId(user).setKey("t").build(),
            token(),
            true);
    assertThat(got.grpcStatus()).isZero();
    assertThat(got.as(GetUserMetadataResponse.parser()).getMetadata().getValue())
        .isEqualTo(bytes("text"));
  }

  @Test
  void binary_missingKey_isNotFoundWithTheRestMessageText() throws Exception {
    var got =
        GrpcWeb.call(
            port(),
            GET,
            GetUserMetadataRequest.newBuilder().setId(newUser()).setKey("nope").build(),
            token(),
            false);
    assertThat(got.httpStatus()).isEqualTo(200);
    assertThat(got.grpcStatus()).isEqualTo(5);
    assertThat(got.grpcMessage()).isEqualTo("Metadata not found (QUERY-Rgh32)");
    assertThat(got.message()).isNull();
    var details =
        com.google.rpc.Status.parseFrom(
            java.util.Base64.getDecoder().decode(got.trailers().get("grpc-status-details-bin")));
    assertThat(details.getDetails(0).unpack(com.zitadel.v1.ErrorDetail.class).getId())
        .isEqualTo("QUERY-Rgh32");
  }

  @Test
  void text_withoutToken_isUnauthenticated() {
    var got =
        GrpcWeb.call(
            port(),
            GET,
            GetUserMetadataRequest.newBuilder().setId(newUser()).setKey("k").build(),
            null,
            true);
    assertThat(got.grpcStatus()).isEqualTo(16);
  }

  @Test
  void unknownMethod_overGrpcWeb_isUnimplemented() {
    var got =
        GrpcWeb.call(
            port(),
            "zitadel.management.v1.ManagementService/GetMyOrg",
            GetUserMetadataRequest.getDefaultInstance(),
            token(),
            false);
    assertThat(got.grpcStatus()).isEqualTo(12);
  }
}
