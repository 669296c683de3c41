package dev.metagate.api.grpc;

import static com.zitadel.management.v1.ManagementServiceGrpcClient.BulkSetUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.GetUserMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataResponse;
import dev.metagate.testing.Grpc;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * REST, gRPC and gRPC-web share one port and one store: bytes written by one read back identical
 * through the others; HTTP/2 works with prior knowledge and with the h2c upgrade.
 */
class OnePortTest extends GrpcGateway {
  private static final byte[] ALL_BYTES = new byte[256];

  static {
    for (int i = 0; i < 256; i++) {
      ALL_BYTES[i] = (byte) i;
    }
  }

  private static String token() {
    return issuer.token("owner-1", ORG, "ORG_OWNER");
  }

  private static String restPath(String user, String key) {
    return "/management/v1/users/" + user + "/metadata/" + key;
  }

  private static byte[] restRead(String user, String key) {
    var r = gw.http().get(restPath(user, key), token());
    assertThat(r.status()).isEqualTo(200);
    return Base64.getDecoder().decode(r.json().getJsonObject("metadata").getString("value"));
  }

  private static byte[] grpcRead(String user, String key) {
    var reply =
        owner.call(
            GetUserMetadata, GetUserMetadataRequest.newBuilder().setId(user).setKey(key).build());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    return reply.body().getMetadata().getValue().toByteArray();
  }

  private static byte[] grpcWebRead(String user, String key, boolean text) throws Exception {
    var a =
        GrpcWeb.call(
            gw.gateway().apiPort(),
            "zitadel.management.v1.ManagementService/GetUserMetadata",
            GetUserMetadataRequest.newBuilder().setId(user).setKey(key).build(),
            token(),
            text);
    assertThat(a.grpcStatus()).isZero();
    return a.as(GetUserMetadataResponse.parser()).getMetadata().getValue().toByteArray();
  }

  private static BulkSetUserMetadataRequest allBytes(String user) {
    return BulkSetUserMetadataRequest.newBuilder()
        .setId(user)
        .addMetadata(
            BulkSetUserMetadataRequest.Metadata.newBuilder()
                .setKey("bin")
                .setValue(ByteString.copyFrom(ALL_BYTES)))
        .build();
  }

  @Test
  void writtenOverRest_readsBackByteIdenticalOverGrpcAndGrpcWeb() throws Exception {
    String user = newUser();
    String body =
        "{\"metadata\":[{\"key\":\"bin\",\"value\":\""
            + Base64.getEncoder().encodeToString(ALL_BYTES)
            + "\"}]}";
    assertThat(gw.http().post(restPath(user, "_bulk"), token(), body).status()).isEqualTo(200);
    assertThat(grpcRead(user, "bin")).isEqualTo(ALL_BYTES);
    assertThat(grpcWebRead(user, "bin", false)).isEqualTo(ALL_BYTES);
    assertThat(grpcWebRead(user, "bin", true)).isEqualTo(ALL_BYTES);
  }

  @Test
  void writtenOverGrpc_readsBackByteIdenticalOverRestAndGrpcWeb() throws Exception {
    String user = newUser();
    assertThat(owner.call(BulkSetUserMetadata, allBytes(user)).status()).isEqualTo(GrpcStatus.OK);
    assertThat(restRead(user, "bin")).isEqualTo(ALL_BYTES);
    assertThat(grpcWebRead(user, "bin", true)).isEqualTo(ALL_BYTES);
  }

  @Test
  void writtenOverGrpcWeb_readsBackByteIdenticalOverRestAndGrpc() {
    String user = newUser();
    var a =
        GrpcWeb.call(
            gw.gateway().apiPort(),
            "zitadel.management.v1.ManagementService/BulkSetUserMetadata",
            allBytes(user),
            token(),
            false);
    assertThat(a.grpcStatus()).isZero();
    assertThat(restRead(user, "bin")).isEqualTo(ALL_BYTES);
    assertThat(grpcRead(user, "bin")).isEqualTo(ALL_BYTES);
  }

  @Test
  void restErrorAndGrpcError_carryTheSameCodeAndMessage() {
    String user = newUser();
    var rest = gw.http().get(restPath(user, "nope"), token()).json();
    var rpc =
        owner.call(
            GetUserMetadata,
            GetUserMetadataRequest.newBuilder().setId(user).setKey("nope").build());
    assertThat(rpc.code()).isEqualTo(rest.getInteger("code"));
    assertThat(rpc.message()).isEqualTo(rest.getString("message"));
  }

  @Test
  void h2cPriorKnowledge_servesRestAndGrpc() {
    assertThat(restVersion(false)).isEqualTo(HttpVersion.HTTP_2);
    // every other gRPC test runs over prior knowledge too; this one says so explicitly
    assertThat(owner.call(BulkSetUserMetadata, allBytes(newUser())).status())
        .isEqualTo(GrpcStatus.OK);
  }

  @Test
  void h2cUpgrade_servesRestAndGrpc() {
    assertThat(restVersion(true)).isEqualTo(HttpVersion.HTTP_2);
    try (Grpc upgraded =
        Grpc.connect(
            gw.gateway().apiPort(),
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(true))) {
      String user = newUser();
      var caller = upgraded.as(token());
      assertThat(caller.call(BulkSetUserMetadata, allBytes(user)).status())
          .isEqualTo(GrpcStatus.OK);
      assertThat(
              caller
                  .call(
                      GetUserMetadata,
                      GetUserMetadataRequest.newBuilder().setId(user).setKey("bin").build())
                  .body()
                  .getMetadata()
                  .getValue()
                  .toByteArray())
          .isEqualTo(ALL_BYTES);
    }
  }

  /** The HTTP version a REST GET was answered with over h2c (upgrade or prior knowledge). */
  private static HttpVersion restVersion(boolean upgrade) {
    Vertx vertx = Vertx.vertx();
    try {
      var client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(upgrade));
      return client
          .request(HttpMethod.GET, gw.gateway().apiPort(), "127.0.0.1", restPath(newUser(), "k"))
          .compose(req -> req.putHeader("authorization", "Bearer " + token()).send())
          .map(resp -> resp.version())
          .await();
    } finally {
      vertx.close().await();
    }
  }
}
