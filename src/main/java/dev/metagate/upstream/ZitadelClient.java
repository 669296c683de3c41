package dev.metagate.upstream;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client of upstream mode. A call goes: circuit closed? → attempts within the deadline
 * ({@link Attempts}) → reply or typed failure. The breaker counts a call once, whatever its
 * retries: as a failure when it got no answer or a 5xx, as a success otherwise.
 */
final class ZitadelClient implements UpstreamClient {
  private static final Logger LOG = LoggerFactory.getLogger(ZitadelClient.class);
  private final AtomicBoolean tlsRefused = new AtomicBoolean();
  private final HttpClient http;
  private final Attempts attempts;
  private final CircuitBreaker breaker;
  private final LoopClients passThroughClients;
  private final PassThrough proxy;
  private final GrpcPassThrough grpc;
  private final UpstreamOptions options;
  private final UpstreamListener listener;

  ZitadelClient(Vertx vertx, UpstreamOptions options, int eventLoops, UpstreamListener listener) {
    this.options = options;
    this.listener = listener;
    this.http =
        vertx.httpClientBuilder().with(clientOptions(options)).with(poolOptions(options)).build();
    this.attempts = new Attempts(vertx, WebClient.wrap(http), options);
    this.breaker =
        CircuitBreaker.create(
            "zitadel",
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(options.circuitFailures())
                .setResetTimeout(options.circuitOpenFor().toMillis())
                .setTimeout(-1)
                .setMaxRetries(0));
    this.passThroughClients =
        new LoopClients(vertx, clientOptions(options), eventLoops, options.maxConnections());
    this.proxy = new PassThrough(passThroughClients, options, listener);
    this.grpc = new GrpcPassThrough(vertx, options, listener);
    if (options.tls()) {
      LOG.info(
          "upstream {} is verified against the JVM's trust store (javax.net.ssl.trustStore)",
          options.url());
    }
  }

  private static HttpClientOptions clientOptions(UpstreamOptions o) {
    HttpClientOptions c =
        new HttpClientOptions()
            .setDefaultHost(o.host())
            .setDefaultPort(o.port())
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.max(1, o.timeout().toMillis()))
            .setMaxHeaderSize(32 * 1024);
    if (o.tls()) {
      // certificate and host name are verified (trustAll stays false); ALPN offers h2, then 1.1
      c.setSsl(true).setVerifyHost(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
    }
    return c;
  }

  private static PoolOptions poolOptions(UpstreamOptions o) {
    return new PoolOptions()
        .setHttp1MaxSize(o.maxConnections())
        .setHttp2MaxSize(o.maxConnections());
  }

  @Override
  public Future<UpstreamReply> send(UpstreamCall call) {
    return breaker
        .<UpstreamReply>execute(() -> attempts.run(call).compose(ZitadelClient::failOnServerError))
        .transform(
            ar -> {
              Throwable t = ar.cause();
              UpstreamReply reply = ar.succeeded() ? ar.result() : null;
              if (t instanceof ServerFailure f) {
                reply = f.reply;
              }
              if (reply != null) {
                tlsRefused.set(false);
                listener.outcome(call.operation(), Failures.outcome(reply.status()));
                return Future.succeededFuture(reply);
              }
              listener.outcome(call.operation(), Failures.outcome(t));
              warnIfUntrusted(t);
              return Future.failedFuture(Failures.toCaller(t, openForSeconds()));
            });
  }

  /** Once until a call is answered again: a certificate problem needs the operator. */
  private void warnIfUntrusted(Throwable t) {
    if (Failures.tlsRefused(t) && tlsRefused.compareAndSet(false, true)) {
      LOG.warn(
          "upstream {} failed the TLS handshake ({}): calls answer 503 until it passes. If its"
              + " certificate is signed by a private CA, trust that CA with"
              + " -Djavax.net.ssl.trustStore=<file> (and javax.net.ssl.trustStorePassword)",
          options.url(),
          rootMessage(t));
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private long openForSeconds() {
    return Math.max(1, (options.circuitOpenFor().toMillis() + 999) / 1000);
  }

  private static Future<UpstreamReply> failOnServerError(UpstreamReply r) {
    return Failures.serverFailure(r.status())
        ? Future.failedFuture(new ServerFailure(r))
        : Future.succeededFuture(r);
  }

  @Override
  public Runnable passThrough(HttpServerRequest request) {
    return proxy.handle(request);
  }

  @Override
  public void passThroughGrpc(HttpServerRequest request, String requestId) {
    grpc.handle(request, requestId);
  }

  @Override
  public boolean circuitOpen() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }

  @Override
  public Future<Void> close() {
    breaker.close();
    return Future.join(http.close(), passThroughClients.close(), grpc.close()).mapEmpty();
  }

  /** Carries a 5xx reply through the breaker as a failure, to be answered as the reply. */
  private static final class ServerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient UpstreamReply reply;

    ServerFailure(UpstreamReply reply) {
      super("upstream answered " + reply.status(), null, false, false);
      this.reply = reply;
    }
  }
}
