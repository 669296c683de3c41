package dev.metagate.upstream;

import static com.zitadel.management.v1.ManagementServiceGrpcClient.BulkSetUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.GetUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.ListUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.RemoveUserMetadata;
import static com.zitadel.management.v1.ManagementServiceGrpcClient.SetUserMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.ListUserMetadataRequest;
import com.zitadel.management.v1.RemoveUserMetadataRequest;
import com.zitadel.management.v1.SetUserMetadataRequest;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Grpc;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC in upstream mode (passthrough credentials): the six v1 metadata methods answer as ZITADEL
 * answers them directly, invalid requests and refused tokens never reach ZITADEL or the cache, and
 * every other gRPC method is streamed to ZITADEL with its trailers.
 */
@ExtendWith(Invariants.class)
class UpstreamGrpcTest {
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String LIST = "ListUserMetadata";

  private static TestIssuer issuer;
  private static FakeZitadel fake;
  private static TestGateway gw;
  private static Grpc viaGateway;
  private static Grpc direct;
  private static Vertx vertx;
  private static HttpClient h2c;
  private static String ownerToken;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    fake = FakeZitadel.start(issuer);
    gw = Upstreams.gateway(fake, Map.of());
    viaGateway = Grpc.connect(gw.gateway().apiPort());
    direct = Grpc.connect(Integer.parseInt(fake.url().substring(fake.url().lastIndexOf(':') + 1)));
    ownerToken = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
    vertx = Vertx.vertx();
    h2c =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    viaGateway.close();
    direct.close();
    gw.close();
    fake.close();
    issuer.close();
  }

  @BeforeEach
  void reset() {
    fake.resetCounters();
  }

  private static String newUser() {
    return "ug-" + USERS.incrementAndGet();
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void metadataCalls_answerAsZitadelDoesDirectly() {
    String user = newUser();
    String other = newUser();
    Grpc.Caller mg = viaGateway.as(ownerToken);
    Grpc.Caller zi = direct.as(ownerToken);

    // writes: same shape for two users (one through metagate, one straight to the fake)
    var bulk =
        BulkSetUserMetadataRequest.newBuilder()
            .addMetadata(
                BulkSetUserMetadataRequest.Metadata.newBuilder().setKey("a").setValue(bytes("1")))
            .addMetadata(
                BulkSetUserMetadataRequest.Metadata.newBuilder().setKey("b").setValue(bytes("2")));
    assertSame(
        mg.call(BulkSetUserMetadata, bulk.setId(user).build()),
        zi.call(BulkSetUserMetadata, bulk.setId(other).build()));
    assertThat(fake.calls("BulkSetUserMetadata")).isEqualTo(1); // over REST, as the REST twin

    // reads of the same user: identical answers, the cached one included
    var get = GetUserMetadataRequest.newBuilder().setId(user).setKey("a").build();
    var viaGw = mg.call(GetUserMetadata, get);
    assertThat(viaGw.status()).isEqualTo(GrpcStatus.OK);
    assertThat(viaGw.body().getMetadata().getValue()).isEqualTo(bytes("1"));
    assertSame(viaGw, zi.call(GetUserMetadata, get));
    assertSame(mg.call(GetUserMetadata, get), zi.call(GetUserMetadata, get)); // from the cache
    assertThat(fake.calls(LIST)).isEqualTo(1);

    var missing = GetUserMetadataRequest.newBuilder().setId(user).setKey("nope").build();
    var notFound = mg.call(GetUserMetadata, missing);
    assertThat(notFound.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertSame(notFound, zi.call(GetUserMetadata, missing));

    var list = ListUserMetadataRequest.newBuilder().setId(user).build();
    assertSame(mg.call(ListUserMetadata, list), zi.call(ListUserMetadata, list));

    // a ZITADEL error on a write keeps its code and message text
    var removeMissing = RemoveUserMetadataRequest.newBuilder().setId(user).setKey("nope").build();
    var refused = mg.call(RemoveUserMetadata, removeMissing);
    assertThat(refused.status()).isNotEqualTo(GrpcStatus.OK);
    assertSame(refused, zi.call(RemoveUserMetadata, removeMissing));
  }

  @Test
  void invalidRequest_isRefusedLikeZitadel_withoutAnyUpstreamCall() {
    String user = newUser();
    var empty = SetUserMetadataRequest.newBuilder().setId(user).setKey("").setValue(bytes("x"));
    var noValue = SetUserMetadataRequest.newBuilder().setId(user).setKey("k");
    var mine = viaGateway.as(ownerToken).call(SetUserMetadata, empty.build());
    var mine2 = viaGateway.as(ownerToken).call(SetUserMetadata, noValue.build());
    assertThat(mine.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(mine2.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(fake.totalCalls()).as("no upstream call for an invalid request").isZero();
    assertSame(mine, direct.as(ownerToken).call(SetUserMetadata, empty.build()));
    assertSame(mine2, direct.as(ownerToken).call(SetUserMetadata, noValue.build()));
  }

  @Test
  void revokedToken_neverGetsCachedData_butZitadelsUnauthenticated() {
    String user = newUser();
    var set =
        SetUserMetadataRequest.newBuilder().setId(user).setKey("a").setValue(bytes("1")).build();
    assertThat(viaGateway.as(ownerToken).call(SetUserMetadata, set).status())
        .isEqualTo(GrpcStatus.OK);
    var get = GetUserMetadataRequest.newBuilder().setId(user).setKey("a").build();
    assertThat(viaGateway.as(ownerToken).call(GetUserMetadata, get).status())
        .isEqualTo(GrpcStatus.OK); // the cache holds the user now
    String revoked = issuer.token("owner-2", Upstreams.ORG, "ORG_OWNER");
    fake.revoke(revoked);

    var mine = viaGateway.as(revoked).call(GetUserMetadata, get);
    assertThat(mine.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(mine.message()).isEqualTo("Errors.Token.Invalid (AUTH-7fs1e)");
    assertThat(mine.body()).isNull();
    var listed =
        viaGateway
            .as(revoked)
            .call(ListUserMetadata, ListUserMetadataRequest.newBuilder().setId(user).build());
    assertThat(listed.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(fake.calls(LIST)).isEqualTo(1 + 2); // each refused read asked ZITADEL
  }

  @Test
  void otherMethods_passThrough_withTrailers() {
    var ok = raw("/grpc.health.v1.Health/Check", HealthCheckRequest.getDefaultInstance());
    assertThat(ok.status).isEqualTo(200);
    assertThat(ok.trailers.get("grpc-status")).isEqualTo("0");
    assertThat(ok.trailers.get("x-fake-zitadel")).as("ZITADEL's own trailer").isEqualTo("1");
    assertThat(ok.message(HealthCheckResponse.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(fake.calls(FakeZitadel.grpc("Check"))).isEqualTo(1);

    var unknown =
        raw(
            "/grpc.health.v1.Health/Check",
            HealthCheckRequest.newBuilder().setService("no.such.Service").build());
    assertThat(unknown.trailers.get("grpc-status")).isEqualTo("5");
    assertThat(unknown.trailers.get("x-fake-zitadel")).isEqualTo("1");

    // a ManagementService method metagate does not answer itself goes to ZITADEL too
    var notHere =
        raw(
            "/zitadel.management.v1.ManagementService/GetMyOrg",
            com.google.protobuf.Empty.getDefaultInstance());
    assertThat(notHere.trailers.get("grpc-status")).isEqualTo("12");
    assertThat(fake.calls(FakeZitadel.grpc("GetMyOrg"))).isEqualTo(1);
    assertThat(fake.lastHeaders(FakeZitadel.grpc("GetMyOrg")).get("authorization"))
        .isEqualTo("Bearer " + ownerToken);
  }

  @Test
  void otherMethods_passThrough_forwardTheRequestIdAndAnswerItOnce() {
    var traced =
        raw("/grpc.health.v1.Health/Check", HealthCheckRequest.getDefaultInstance(), "trace-g1");
    assertThat(traced.trailers.get("grpc-status")).isEqualTo("0");
    assertThat(fake.lastHeaders(FakeZitadel.grpc("Check")).getAll("x-request-id"))
        .containsExactly("trace-g1");
    assertThat(traced.headers.getAll("x-request-id")).containsExactly("trace-g1");

    var untraced = raw("/grpc.health.v1.Health/Check", HealthCheckRequest.getDefaultInstance());
    String minted = fake.lastHeaders(FakeZitadel.grpc("Check")).get("x-request-id");
    assertThat(minted).as("a new id when the caller sent none").isNotBlank();
    assertThat(untraced.headers.getAll("x-request-id")).containsExactly(minted);
  }

  @Test
  void grpcWebOverHttp1_passesThrough_statusInTheBodysTrailerFrame() {
    byte[] payload = HealthCheckRequest.getDefaultInstance().toByteArray();
    Buffer frame =
        Buffer.buffer().appendByte((byte) 0).appendInt(payload.length).appendBytes(payload);
    HttpClient http1 = vertx.createHttpClient();
    try {
      RequestOptions o =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost("127.0.0.1")
              .setPort(gw.gateway().apiPort())
              .setURI("/grpc.health.v1.Health/Check")
              .putHeader("content-type", "application/grpc-web+proto")
              .putHeader("x-grpc-web", "1");
      Buffer body =
          http1
              .request(o)
              .compose(r -> r.send(frame))
              .compose(r -> r.body())
              .toCompletionStage()
              .toCompletableFuture()
              .orTimeout(30, TimeUnit.SECONDS)
              .join();
      int messageLength = body.getInt(1);
      int trailerAt = 5 + messageLength;
      assertThat(body.getByte(trailerAt) & 0x80).as("a trailer frame follows").isEqualTo(0x80);
      String trailers = body.getString(trailerAt + 5, body.length(), "US-ASCII");
      assertThat(trailers).containsIgnoringCase("grpc-status:0");
      assertThat(fake.calls(FakeZitadel.grpc("Check"))).isEqualTo(1);
    } finally {
      http1.close();
    }
  }

  /** One unary call over h2c to metagate, with the raw headers, body and trailers of its answer. */
  private static Raw raw(String path, Message request) {
    return raw(path, request, null);
  }

  /** The same, with {@code requestId} as the caller's x-request-id unless null. */
  private static Raw raw(String path, Message request, String requestId) {
    byte[] payload = request.toByteArray();
    Buffer frame =
        Buffer.buffer().appendByte((byte) 0).appendInt(payload.length).appendBytes(payload);
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(gw.gateway().apiPort())
            .setURI(path)
            .putHeader("content-type", "application/grpc")
            .putHeader("te", "trailers")
            .putHeader("authorization", "Bearer " + ownerToken);
    if (requestId != null) {
      o.putHeader("x-request-id", requestId);
    }
    return h2c.request(o)
        .compose(r -> r.send(frame))
        .compose(
            r ->
                r.body()
                    .map(
                        b ->
                            new Raw(
                                r.statusCode(),
                                MultiMap.caseInsensitiveMultiMap().addAll(r.headers()),
                                b,
                                MultiMap.caseInsensitiveMultiMap().addAll(r.trailers()))))
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }

  private record Raw(int status, MultiMap headers, Buffer body, MultiMap trailers) {
    @SuppressWarnings("unchecked")
    <T extends Message> T message(T prototype) {
      try {
        int length = body.getInt(1);
        return (T) prototype.getParserForType().parseFrom(body.getBytes(5, 5 + length));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Same status, message and response, with times and user ids blanked. */
  private static void assertSame(Grpc.Reply<?> mine, Grpc.Reply<?> zitadels) {
    assertThat(normalized(mine)).isEqualTo(normalized(zitadels));
  }

  private static String normalized(Grpc.Reply<?> r) {
    String body = "";
    if (r.body() != null) {
      try {
        body = blank(new JsonObject(JsonFormat.printer().print((Message) r.body()))).toString();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    String message = r.message() == null ? "" : r.message().replaceAll("ug-\\d+", "<user>");
    return r.status() + " " + message + " " + body;
  }

  private static Object blank(Object v) {
    if (v instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (String k : o.fieldNames()) {
        boolean time = k.endsWith("Date") || k.equals("viewTimestamp");
        out.put(k, time ? "<time>" : blank(o.getValue(k)));
      }
      return out;
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(x -> out.add(blank(x)));
      return out;
    }
    return v;
  }
}
