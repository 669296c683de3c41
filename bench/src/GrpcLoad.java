import com.google.protobuf.ByteString;
import com.zitadel.management.v1.BulkSetUserMetadataRequest;
import com.zitadel.management.v1.GetUserMetadataRequest;
import com.zitadel.management.v1.ManagementServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * A closed-loop gRPC load client (the gRPC counterpart of wrk): CALLS concurrent unary calls of
 * ManagementService over H2CONNS HTTP/2 prior-knowledge connections, each call started when the
 * previous one of its slot ended, for WARMUP_S unmeasured then SECONDS measured seconds. Prints
 * {@code rps R p99_ms P errors E} over the calls that ended inside the measured window (calls per
 * second that ended OK, 99th percentile latency, calls that did not end OK).
 *
 * <p>Methods: {@code get} = GetUserMetadata(USER, KEY) (a cached read); {@code bulk} =
 * BulkSetUserMetadata of 10 changed keys to one of 1000 users, as {@code lua/bulk10.lua}.
 *
 * <p>Run: java -cp target/metagate.jar:classes GrpcLoad PORT TOKEN get|bulk CALLS SECONDS WARMUP_S
 * [USER KEY] [H2CONNS]
 */
public class GrpcLoad {
  /** 10 µs buckets up to 100 ms, then 1 ms buckets up to 10 s. */
  static final AtomicLongArray buckets = new AtomicLongArray(20_000);

  static final AtomicLong ok = new AtomicLong();
  static final AtomicLong errors = new AtomicLong();
  static volatile boolean measuring;
  static volatile long endAt;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String token = args[1];
    String method = args[2];
    int calls = Integer.parseInt(args[3]);
    double seconds = Double.parseDouble(args[4]);
    double warmup = Double.parseDouble(args[5]);
    String user = args.length > 6 ? args[6] : "bench";
    String key = args.length > 7 ? args[7] : "greeting";
    int conns = args.length > 8 ? Integer.parseInt(args[8]) : Math.min(calls, 4);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    HttpClientOptions http =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
;
    GrpcClient client =
        GrpcClient.client(vertx, vertx.createHttpClient(http, new PoolOptions().setHttp2MaxSize(conns)));
    SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    String prefix = Long.toString(ThreadLocalRandom.current().nextLong(1, 1_000_000));
    AtomicLong counter = new AtomicLong();

    Supplier<Future<GrpcStatus>> one;
    if (method.equals("get")) {
      GetUserMetadataRequest msg = GetUserMetadataRequest.newBuilder().setId(user).setKey(key).build();
      one = () -> call(client, server, token, ManagementServiceGrpcClient.GetUserMetadata, msg);
    } else if (method.equals("bulk")) {
      one =
          () -> {
            long n = counter.incrementAndGet();
            BulkSetUserMetadataRequest.Builder b =
                BulkSetUserMetadataRequest.newBuilder().setId("gbulk-" + prefix + "-" + n % 1000);
            ByteString v = ByteString.copyFromUtf8(String.format("v00000%02d", n % 100));
            for (int i = 0; i < 10; i++) {
              b.addMetadataBuilder().setKey("key-" + i).setValue(v);
            }
            return call(client, server, token, ManagementServiceGrpcClient.BulkSetUserMetadata, b.build());
          };
    } else {
      throw new IllegalArgumentException("method: get or bulk");
    }

    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    endAt = measureFrom + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(calls);
    for (int i = 0; i < calls; i++) {
      loop(vertx, one, done);
    }
    long sleep = (measureFrom - System.nanoTime()) / 1_000_000;
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    measuring = true;
    // like wrk: calls that end inside the measured window count; stragglers get 5 s to end
    done.await((long) (seconds * 1000) + 5000, TimeUnit.MILLISECONDS);
    System.out.printf(
        "rps %.2f p99_ms %.3f errors %d%n", ok.get() / seconds, percentile(0.99), errors.get());
    client.close().await();
    vertx.close().await();
  }

  static void loop(Vertx vertx, Supplier<Future<GrpcStatus>> one, CountDownLatch done) {
    if (System.nanoTime() >= endAt) {
      done.countDown();
      return;
    }
    long t = System.nanoTime();
    one.get()
        .onComplete(
            ar -> {
              if (measuring && System.nanoTime() <= endAt) {
                record((System.nanoTime() - t) / 1000);
                if (ar.succeeded() && ar.result() == GrpcStatus.OK) {
                  ok.incrementAndGet();
                } else {
                  errors.incrementAndGet();
                  if (errors.get() <= 3) {
                    System.err.println("call failed: " + (ar.succeeded() ? ar.result() : ar.cause()));
                  }
                }
              }
              loop(vertx, one, done);
            });
  }

  static <Req, Resp> Future<GrpcStatus> call(
      GrpcClient client, SocketAddress server, String token, ServiceMethod<Resp, Req> m, Req msg) {
    return client
        .request(server, m)
        .compose(
            req -> {
              req.headers().set("authorization", "Bearer " + token);
              return req.send(msg);
            })
        .compose(
            resp -> {
              resp.handler(ignored -> {});
              return resp.end().map(v -> resp.status()).otherwise(e -> resp.status());
            });
  }

  static void record(long micros) {
    int i = micros < 100_000 ? (int) (micros / 10) : (int) Math.min(19_999, 10_000 + (micros - 100_000) / 1000);
    buckets.incrementAndGet(i);
  }

  static double percentile(double p) {
    long total = 0;
    for (int i = 0; i < buckets.length(); i++) {
      total += buckets.get(i);
    }
    long want = (long) Math.ceil(total * p);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= want && want > 0) {
        return i < 10_000 ? (i + 1) * 0.01 : 100 + (i - 10_000 + 1);
      }
    }
    return 0;
  }
}
