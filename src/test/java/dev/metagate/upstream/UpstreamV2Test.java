package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.normalized;
import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zitadel.metadata.v2.MetadataKeyFilter;
import com.zitadel.metadata.v2.MetadataSearchFilter;
import com.zitadel.user.v2.DeleteUserMetadataRequest;
import com.zitadel.user.v2.ListUserMetadataRequest;
import com.zitadel.user.v2.Metadata;
import com.zitadel.user.v2.SetUserMetadataRequest;
import com.zitadel.user.v2.UserServiceGrpcClient;
import dev.metagate.testing.Grpc;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The v2 User service metadata endpoints in upstream mode (passthrough credentials): answered as
 * ZITADEL answers them directly, field errors without an upstream call, and a v2 write through
 * metagate drops the user's cached v1 snapshot, so a v1 read right after it sees the write.
 */
@ExtendWith(Invariants.class)
class UpstreamV2Test {
  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension static final Sidecar up = Sidecar.with(Map.of("METAGATE_CACHE_TTL", "60s"));

  private static String v2(String user) {
    return "/v2/users/" + user + "/metadata";
  }

  /** The same request through metagate and straight to the fake, for two fresh users. */
  private static void sameAsDirect(String method, String suffix, String body) {
    String a = "v2-" + USERS.incrementAndGet();
    String b = "v2-" + USERS.incrementAndGet();
    for (String user : List.of(a, b)) { // give both the same history
      assertThat(
              up.fake
                  .http()
                  .post(
                      v2(user),
                      up.owner,
                      "{\"metadata\":[{\"key\":\"k1\",\"value\":\"YQ==\"},{\"key\":\"k2\",\"value\":\"Yg==\"}]}")
                  .status())
          .isEqualTo(200);
    }
    Http.Response via = send(up.gw.http(), method, v2(a) + suffix, body);
    Http.Response direct = send(up.fake.http(), method, v2(b) + suffix, body);
    assertThat(normalized(via))
        .as(method + " " + suffix + " " + body)
        .isEqualTo(normalized(direct));
  }

  private static Http.Response send(Http http, String method, String path, String body) {
    var call = http.call(method, path).token(up.owner);
    if (body != null) {
      call.header("content-type", "application/json").body(body);
    }
    return call.send();
  }

  @Test
  void everyEndpoint_answersAsZitadelDirectly() {
    sameAsDirect("POST", "", "{\"metadata\":[{\"key\":\"k3\",\"value\":\"Yw==\"}]}");
    sameAsDirect("POST", "/search", "{}");
    sameAsDirect(
        "POST",
        "/search",
        "{\"filters\":[{\"keyFilter\":{\"key\":\"k\",\"method\":\"TEXT_FILTER_METHOD_STARTS_WITH\"}}],\"pagination\":{\"limit\":1,\"asc\":true}}");
    sameAsDirect("DELETE", "?keys=k1&keys=k2", null);
    sameAsDirect("DELETE", "?keys=missing", null);
    assertThat(up.fake.calls("v2.SetUserMetadata")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void fieldErrors_answerAsZitadel_withoutAnUpstreamCall() {
    String tooLong = "k".repeat(201);
    List<String[]> bad =
        List.of(
            new String[] {"POST", "", "{\"metadata\":[]}"},
            new String[] {"POST", "", "{\"metadata\":[{\"key\":\"\",\"value\":\"YQ==\"}]}"},
            new String[] {
              "POST", "", "{\"metadata\":[{\"key\":\"" + tooLong + "\",\"value\":\"YQ==\"}]}"
            },
            new String[] {"POST", "", "{\"metadata\":"},
            new String[] {"POST", "/search", "{\"filters\":[{}]}"},
            new String[] {"POST", "/search", "{\"pagination\":{\"limit\":1001}}"},
            new String[] {"DELETE", "", null});
    for (String[] r : bad) {
      String user = "v2-bad-" + USERS.incrementAndGet();
      up.fake.resetCounters();
      Http.Response via = send(up.gw.http(), r[0], v2(user) + r[1], r[2]);
      assertThat(up.fake.totalCalls()).as("upstream calls for %s %s %s", r[0], r[1], r[2]).isZero();
      Http.Response direct = send(up.fake.http(), r[0], v2(user) + r[1], r[2]);
      assertThat(via.status()).as(String.join(" ", r)).isGreaterThanOrEqualTo(400);
      assertThat(normalized(via)).as(String.join(" ", r)).isEqualTo(normalized(direct));
    }
  }

  @Test
  void v2WritesThroughMetagate_dropTheCachedV1Snapshot() {
    String user = "v2-cache-" + USERS.incrementAndGet();
    assertThat(up.gw.http().post(path(user, "k"), up.owner, "{\"value\":\"b2xk\"}").status())
        .isEqualTo(200);
    assertThat(value(user)).isEqualTo("b2xk"); // now cached for this credential
    assertThat(up.gw.http().get(path(user, "k"), up.owner).status()).isEqualTo(200);
    int lists = up.fake.calls("ListUserMetadata");

    var set =
        send(up.gw.http(), "POST", v2(user), "{\"metadata\":[{\"key\":\"k\",\"value\":\"bmV3\"}]}");
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().getString("setDate")).isNotBlank();
    assertThat(value(user)).isEqualTo("bmV3");
    assertThat(up.fake.calls("ListUserMetadata")).isEqualTo(lists + 1); // refetched, not stale

    var delete = send(up.gw.http(), "DELETE", v2(user) + "?keys=k", null);
    assertThat(delete.status()).isEqualTo(200);
    assertThat(up.gw.http().get(path(user, "k"), up.owner).status()).isEqualTo(404);
  }

  private static String value(String user) {
    return up.gw
        .http()
        .get(path(user, "k"), up.owner)
        .json()
        .getJsonObject("metadata")
        .getString("value");
  }

  @Test
  void grpc_v2Methods_goUpstream_fieldErrorsCostNothing() {
    String user = "v2-grpc-" + USERS.incrementAndGet();
    try (Grpc grpc = Grpc.connect(up.gw.gateway().apiPort())) {
      var set =
          grpc.as(up.owner)
              .call(
                  UserServiceGrpcClient.SetUserMetadata,
                  SetUserMetadataRequest.newBuilder()
                      .setUserId(user)
                      .addMetadata(
                          Metadata.newBuilder().setKey("g1").setValue(ByteString.copyFromUtf8("x")))
                      .addMetadata(
                          Metadata.newBuilder().setKey("g2").setValue(ByteString.copyFromUtf8("y")))
                      .build());
      assertThat(set.status()).as(set.toString()).isEqualTo(GrpcStatus.OK);
      assertThat(set.body().hasSetDate()).isTrue();
      assertThat(up.fake.calls("v2.SetUserMetadata")).isEqualTo(1);
      // what gRPC wrote, REST v1 reads through metagate
      assertThat(
              up.gw
                  .http()
                  .get(path(user, "g1"), up.owner)
                  .json()
                  .getJsonObject("metadata")
                  .getString("value"))
          .isEqualTo("eA==");

      var list =
          grpc.as(up.owner)
              .call(
                  UserServiceGrpcClient.ListUserMetadata,
                  ListUserMetadataRequest.newBuilder()
                      .setUserId(user)
                      .addFilters(
                          MetadataSearchFilter.newBuilder()
                              .setKeyFilter(MetadataKeyFilter.newBuilder().setKey("g2")))
                      .build());
      assertThat(list.status()).as(list.toString()).isEqualTo(GrpcStatus.OK);
      assertThat(list.body().getMetadataList()).extracting(m -> m.getKey()).containsExactly("g2");
      assertThat(list.body().getPagination().getTotalResult()).isEqualTo(1);

      var delete =
          grpc.as(up.owner)
              .call(
                  UserServiceGrpcClient.DeleteUserMetadata,
                  DeleteUserMetadataRequest.newBuilder().setUserId(user).addKeys("g1").build());
      assertThat(delete.status()).as(delete.toString()).isEqualTo(GrpcStatus.OK);
      assertThat(delete.body().hasDeletionDate()).isTrue();
      assertThat(up.gw.http().get(path(user, "g1"), up.owner).status()).isEqualTo(404);

      up.fake.resetCounters();
      var invalid =
          grpc.as(up.owner)
              .call(
                  UserServiceGrpcClient.DeleteUserMetadata,
                  DeleteUserMetadataRequest.newBuilder().setUserId(user).build());
      assertThat(invalid.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION); // no keys: as local
      assertThat(invalid.message()).contains("META-9mm2d");
      assertThat(up.fake.totalCalls()).isZero();
    }
  }
}
