package dev.metagate.testing;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x gRPC client for tests (HTTP/2 with prior knowledge unless given other options): calls a
 * method with the metadata a ZITADEL client would send and returns status, message and response,
 * blocking the test thread.
 */
public final class Grpc implements AutoCloseable {
  /** Room for a response holding the largest values (the default cap is 256 KiB). */
  private static final GrpcClientOptions OPTIONS =
      new GrpcClientOptions().setMaxMessageSize(16 * 1024 * 1024);

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;

  private Grpc(Vertx vertx, GrpcClient client, int port) {
    this.vertx = vertx;
    this.client = client;
    this.address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  public static Grpc connect(int port) {
    Vertx vertx = Vertx.vertx();
    return new Grpc(vertx, GrpcClient.client(vertx, OPTIONS), port);
  }

  /** A client over a transport of the test's choosing (e.g. h2c upgrade). */
  public static Grpc connect(int port, HttpClientOptions transport) {
    Vertx vertx = Vertx.vertx();
    return new Grpc(vertx, GrpcClient.client(vertx, OPTIONS, transport), port);
  }

  /** A call carrying {@code authorization: Bearer token} (none when token is null). */
  public Caller as(String token) {
    return new Caller(token, null, 0, 0);
  }

  /**
   * The outcome of one call: its status and message, the response on OK, and the {@code
   * grpc-status-details-bin} it carried (null if none), still base64 as on the wire.
   */
  public record Reply<T>(GrpcStatus status, String message, T body, String statusDetails) {
    public int code() {
      return status.code;
    }

    @Override
    public String toString() {
      return status + " " + message + (body == null ? "" : " " + body);
    }
  }

  /** One caller: token, optional org and deadline. Immutable; each setter returns a copy. */
  public final class Caller {
    private final String token;
    private final String org;
    private final long timeoutMs;
    private final long holdMs;

    private Caller(String token, String org, long timeoutMs, long holdMs) {
      this.token = token;
      this.org = org;
      this.timeoutMs = timeoutMs;
      this.holdMs = holdMs;
    }

    /** Sends {@code x-zitadel-orgid: org}. */
    public Caller org(String org) {
      return new Caller(token, org, timeoutMs, holdMs);
    }

    /** Sends {@code grpc-timeout} of {@code ms} milliseconds. */
    public Caller timeout(long ms) {
      return new Caller(token, org, ms, holdMs);
    }

    /**
     * Sends the message at once but ends the request stream only {@code ms} later (slow client).
     */
    public Caller holdMessage(long ms) {
      return new Caller(token, org, timeoutMs, ms);
    }

    /** Calls {@code method} with {@code request}. */
    public <Req, Resp> Reply<Resp> call(ServiceMethod<Resp, Req> method, Req request) {
      Future<Reply<Resp>> reply =
          client.request(address, method).compose(req -> send(req, request));
      return reply.toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    private <Req, Resp> Future<Reply<Resp>> send(GrpcClientRequest<Req, Resp> req, Req message) {
      if (token != null) {
        req.headers().set("authorization", "Bearer " + token);
      }
      if (org != null) {
        req.headers().set("x-zitadel-orgid", org);
      }
      if (timeoutMs > 0) {
        req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      }
      Future<io.vertx.grpc.client.GrpcClientResponse<Req, Resp>> response;
      if (holdMs > 0) {
        req.write(message);
        vertx.setTimer(holdMs, t -> req.end());
        response = req.response();
      } else {
        response = req.send(message);
      }
      return response.compose(
          resp -> {
            Object[] body = new Object[1];
            resp.handler(m -> body[0] = m);
            return resp.end()
                .transform(
                    ar -> {
                      String msg = resp.statusMessage();
                      if (msg == null && resp.trailers().get("grpc-message") != null) {
                        msg =
                            QueryStringDecoder.decodeComponent(
                                resp.trailers().get("grpc-message"), StandardCharsets.UTF_8);
                      }
                      @SuppressWarnings("unchecked")
                      Resp r = (Resp) body[0];
                      String details = resp.trailers().get("grpc-status-details-bin");
                      if (details == null) { // a trailers-only answer: they came as headers
                        details = resp.headers().get("grpc-status-details-bin");
                      }
                      return Future.succeededFuture(new Reply<>(resp.status(), msg, r, details));
                    });
          });
    }
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
