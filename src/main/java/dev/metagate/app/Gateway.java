package dev.metagate.app;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.api.CallPipeline;
import dev.metagate.api.UpstreamCredentials;
import dev.metagate.api.grpc.GrpcApi;
import dev.metagate.api.rest.RestApi;
import dev.metagate.api.rest.RestRoutes;
import dev.metagate.auth.BearerAuth;
import dev.metagate.auth.DevIssuer;
import dev.metagate.auth.JwtSettings;
import dev.metagate.auth.KeySource;
import dev.metagate.auth.Policy;
import dev.metagate.auth.TokenVerifier;
import dev.metagate.auth.Verifiers;
import dev.metagate.cache.CaffeineUserCache;
import dev.metagate.cache.UserCaches;
import dev.metagate.config.MetagateConfig;
import dev.metagate.config.Sections.Auth;
import dev.metagate.config.Sections.Upstream;
import dev.metagate.metadata.MetadataService;
import dev.metagate.metadata.MetadataStore;
import dev.metagate.ops.AdminApi;
import dev.metagate.ops.Health;
import dev.metagate.ops.InFlightLimiter;
import dev.metagate.ops.Metrics;
import dev.metagate.upstream.ServiceCredential;
import dev.metagate.upstream.ServiceKey;
import dev.metagate.upstream.SidecarOptions;
import dev.metagate.upstream.UpstreamCacheStats;
import dev.metagate.upstream.UpstreamClient;
import dev.metagate.upstream.UpstreamMetadata;
import dev.metagate.upstream.UpstreamOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running metagate: wires store, cache, service, auth and the two HTTP listeners by hand, and
 * shuts them down in order (readiness off, drain requests, commit the queue, close the store).
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final Duration KEY_REFRESH = Duration.ofMinutes(5);
  private static final Duration UNKNOWN_KID_REFRESH = Duration.ofSeconds(10);

  /** Room for ZITADEL tokens with many role claims (the verifier itself caps tokens at 16 KiB). */
  private static final int MAX_HEADER_BYTES = 32 * 1024;

  private static final long STOP_MARGIN_MS = 2_000;

  /**
   * Room for the longest valid request line: a 200-character user id and a 200-character key, each
   * character a percent-encoded 4-byte code point (2 × 2,400 bytes). Netty's default of 4,096 would
   * refuse such a request with 414 before validation.
   */
  private static final int MAX_REQUEST_LINE = 16 * 1024;

  private final Vertx vertx;
  private final MetagateConfig config;
  private final MetadataStore store;
  private final CaffeineUserCache cache;
  private final Health health;
  private final Metrics metrics;
  private final InFlightLimiter inFlight;

  /** Read in the constructor, on the starting thread: a class-path read must not hit a loop. */
  private final String openApi = RestRoutes.openApiDocument();

  private TokenVerifier verifier;
  private UpstreamClient upstream;
  private ServiceCredential service; // metagate's own credential for ZITADEL, or null
  private UpstreamMetadata upstreamMetadata;
  private DevIssuer devIssuer;
  private int apiPort;
  private int adminPort;
  private volatile String adminDeployment;
  private CompletableFuture<Void> stopping;

  private Gateway(
      Vertx vertx,
      MetagateConfig config,
      MetadataStore store,
      CaffeineUserCache cache,
      Metrics metrics,
      Ticker ticker,
      ServiceKey serviceKey) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.cache = cache;
    this.health = new Health();
    if (store != null) {
      metrics.bindCache(
          cache,
          c -> c.stats().hitCount(),
          c -> c.stats().missCount(),
          c -> c.stats().evictionCount(),
          CaffeineUserCache::weightedBytes);
      metrics.bindWriteQueue(store::queuedEntries);
      if (config.store().postgres()) {
        metrics.bindStoreListening(store::cacheCoherent);
      }
      health.check("store", store::isOpen);
    } else {
      upstream =
          UpstreamClient.create(vertx, upstreamOptions(config), apiInstances(), metrics::upstream);
      UpstreamClient u = upstream;
      metrics.bindUpstream(u::circuitOpen);
      Upstream conf = config.upstream();
      if (serviceKey != null) {
        service = ServiceCredential.key(vertx, u, upstreamOptions(config), serviceKey);
        health.check("serviceToken", service::ready);
      } else if (conf.token() != null) {
        service = ServiceCredential.token(conf.token());
      }
      upstreamMetadata =
          UpstreamMetadata.create(
              vertx, u, sidecarOptions(config, service), ticker, metrics::coalesced);
      metrics.bindCache(
          upstreamMetadata.cacheStats(),
          UpstreamCacheStats::hits,
          UpstreamCacheStats::misses,
          UpstreamCacheStats::evictions,
          UpstreamCacheStats::weightedBytes);
      health.check("upstream", () -> !u.circuitOpen());
    }
    this.inFlight = RestApi.inFlightLimiter(config.http().maxInFlight());
  }

  /**
   * Starts metagate with {@code config}. Blocks only while opening the store and the dev key, so
   * call it from a plain thread, never an event loop.
   */
  public static CompletableFuture<Gateway> start(MetagateConfig config, Clock clock) {
    return start(config, clock, Ticker.systemTicker());
  }

  /** The same, with the upstream cache's time on {@code ticker} (tests move it by hand). */
  public static CompletableFuture<Gateway> start(
      MetagateConfig config, Clock clock, Ticker ticker) {
    GrpcApi.loadDescriptors(); // here, not on the event loop that first builds a gRPC server
    ServiceKey serviceKey;
    try {
      serviceKey = serviceKey(config);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Metrics metrics = new Metrics();
    CaffeineUserCache cache = UserCaches.bounded(config.cache().maxBytes(), Ticker.systemTicker());
    Vertx vertx =
        Vertx.builder()
            .with(vertxOptions())
            .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
            .build();
    MetadataStore store = null;
    if (config.localMode()) {
      try {
        store = Stores.open(config, vertx, clock, cache, metrics::commit);
      } catch (IllegalStateException e) {
        awaitQuietly("closing Vert.x", vertx.close().toCompletionStage(), STOP_MARGIN_MS);
        return CompletableFuture.failedFuture(e);
      }
    }
    Gateway g = new Gateway(vertx, config, store, cache, metrics, ticker, serviceKey);
    CompletableFuture<Gateway> started = new CompletableFuture<>();
    g.startServices(clock)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                started.complete(g);
              } else {
                // stop from a plain thread: Vert.x cannot complete futures on its own closed loops
                g.stop().whenComplete((x, t) -> started.completeExceptionally(ar.cause()));
              }
            });
    return started;
  }

  private static UpstreamOptions upstreamOptions(MetagateConfig config) {
    Upstream u = config.upstream();
    return new UpstreamOptions(
        URI.create(u.url()),
        u.timeout(),
        u.retries(),
        u.maxConnections(),
        u.circuitFailures(),
        u.circuitOpenFor());
  }

  /** The service-user key of {@code upstream.keyFile}, read and checked now; null without one. */
  private static ServiceKey serviceKey(MetagateConfig config) {
    String file = config.localMode() ? null : config.upstream().keyFile();
    if (file == null) {
      return null;
    }
    try {
      return ServiceKey.read(Path.of(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("upstream.keyFile: " + e.getMessage(), e);
    }
  }

  private static SidecarOptions sidecarOptions(MetagateConfig config, ServiceCredential service) {
    Upstream u = config.upstream();
    return new SidecarOptions(
        config.cache().maxBytes(),
        config.cache().ttl(),
        config.cache().permissionTtl(),
        config.batch().maxSize(),
        config.batch().maxDelay(),
        config.batch().maxQueue(),
        u.eventsEnabled() ? u.eventsInterval() : null,
        service);
  }

  /**
   * Vert.x settings; the blocked-thread limit can be tightened with the system property {@code
   * metagate.eventLoopLimitMs} (the tests do, and fail on its warnings).
   */
  private static VertxOptions vertxOptions() {
    long limitMs = Long.getLong("metagate.eventLoopLimitMs", 2000);
    return new VertxOptions()
        // metagate_requests_* cover the API port and metagate_upstream_requests_total the calls
        // to ZITADEL; Vert.x's per-request HTTP server and client meters would only repeat them,
        // at a fifth of cached-read throughput and a large share of a pass-through's CPU
        .setMetricsOptions(
            new MicrometerMetricsOptions()
                .setEnabled(true)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT))
        .setMaxEventLoopExecuteTime(limitMs)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.min(1000, limitMs / 2))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
  }

  private Future<Gateway> startServices(Clock clock) {
    if (service != null) {
      service.start(); // readiness waits for the first access token of a service key
    }
    Auth auth = config.auth();
    KeySource keys;
    JsonObject devJwks = null;
    if (auth.devIssuer()) {
      try {
        devIssuer = DevIssuer.loadOrCreate(dataDir(config));
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
      keys = KeySource.fixed(List.of(devIssuer.publicJwk()));
      devJwks = devIssuer.jwks();
      LOG.warn(
          "DEV ISSUER IS ON: anyone who can run './run.sh token' can act as any user. Never use it in production.");
    } else if (!config.verifiesTokens()) {
      keys = null; // passthrough: ZITADEL checks every token itself
    } else {
      keys = KeySource.jwks(WebClient.create(vertx), auth.effectiveJwksUrl());
      if (auth.audience().isEmpty()) {
        LOG.warn(
            "auth.audience is empty: tokens for any project of {} are accepted and every project's"
                + " role claims are trusted; set auth.audience to your project id(s)",
            auth.effectiveIssuer());
      }
    }
    JwtSettings jwt =
        new JwtSettings(
            auth.effectiveIssuer(),
            auth.audience(),
            auth.clockSkew(),
            KEY_REFRESH,
            UNKNOWN_KID_REFRESH);
    JsonObject jwks = devJwks;
    Future<TokenVerifier> verifying =
        config.verifiesTokens() || auth.devIssuer()
            ? Verifiers.jwt(vertx, keys, jwt, clock, Ticker.systemTicker())
            : Future.succeededFuture(null);
    return verifying
        .compose(
            v -> {
              verifier = v;
              return deployAdmin(jwks);
            })
        .compose(x -> deployApi())
        .map(
            x -> {
              health.serving(true);
              return this;
            });
  }

  private Future<Void> deployAdmin(JsonObject devJwks) {
    HttpServerOptions options =
        new HttpServerOptions().setHost(config.admin().host()).setPort(config.admin().port());
    HttpVerticle admin =
        new HttpVerticle(
            options,
            () -> AdminApi.router(vertx, health, metrics, devJwks, openApi),
            Duration.ofSeconds(1));
    return vertx
        .deployVerticle(admin)
        .map(
            id -> {
              adminPort = admin.actualPort();
              adminDeployment = id;
              return null;
            });
  }

  private Future<Void> deployApi() {
    MetadataService service = store == null ? null : MetadataService.create(store, cache);
    BearerAuth bearer = verifier == null ? null : new BearerAuth(verifier);
    Auth a = config.auth();
    Policy policy = new Policy(a.readRoles(), a.writeRoles(), a.instanceRoles(), a.selfService());
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.http().host())
            .setPort(sharedPort(config.http().port()))
            .setIdleTimeout((int) config.http().idleTimeout().toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setHttp2ClearTextEnabled(true)
            // no WebSocket endpoints: keep the extension handlers out of every request's path
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxInitialLineLength(MAX_REQUEST_LINE);
    int instances = apiInstances();
    List<HttpVerticle> deployed = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              HttpVerticle v = apiVerticle(options, service, bearer, policy);
              deployed.add(v);
              return v;
            },
            new DeploymentOptions().setInstances(instances))
        .map(
            id -> {
              // instances share one listener, also when port 0 picked a free port
              apiPort = deployed.get(0).actualPort();
              return null;
            });
  }

  /** The API verticle instances, one per core, each on its own event loop. */
  private static int apiInstances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Port 0 would give each instance its own random port, leaving all but one event loop without
   * traffic; Vert.x shares one random port among servers that ask for the same negative port.
   */
  private static int sharedPort(int port) {
    return port == 0 ? -1 : port;
  }

  private HttpVerticle apiVerticle(
      HttpServerOptions options, MetadataService service, BearerAuth bearer, Policy policy) {
    long maxBody = config.http().maxBodySize();
    if (upstream != null) {
      UpstreamCredentials credentials = upstreamCredentials(bearer, policy);
      return new HttpVerticle(
          new HttpServerOptions(options),
          () ->
              RestApi.upstreamFront(
                  upstreamRouter(credentials), upstream, inFlight, metrics, config.log().access()),
          () ->
              GrpcApi.upstream(
                  vertx, upstreamMetadata, upstream, credentials, maxBody, inFlight, metrics),
          this::overloadGate,
          config.shutdown().timeout());
    }
    Duration idle = config.http().idleTimeout();
    CallPipeline pipeline = new CallPipeline(bearer, policy);
    return new HttpVerticle(
        new HttpServerOptions(options),
        () ->
            RestApi.local(
                vertx, service, pipeline, maxBody, idle, inFlight, metrics, config.log().access()),
        () -> GrpcApi.server(vertx, service, pipeline, maxBody, inFlight, metrics, health::ready),
        this::overloadGate,
        config.shutdown().timeout());
  }

  private Handler<HttpServerRequest> overloadGate(Handler<HttpServerRequest> next) {
    return new OverloadGate(inFlight, metrics, next);
  }

  /** Passthrough forwards callers' credentials; token mode authorizes here, acts with the PAT. */
  private UpstreamCredentials upstreamCredentials(BearerAuth bearer, Policy policy) {
    Upstream u = config.upstream();
    boolean token = u.tokenCredentials();
    return new UpstreamCredentials(token ? bearer : null, policy, token ? service : null);
  }

  private io.vertx.ext.web.Router upstreamRouter(UpstreamCredentials credentials) {
    return RestApi.upstreamRouter(
        vertx,
        upstreamMetadata,
        upstream,
        credentials,
        config.http().maxBodySize(),
        config.http().idleTimeout(),
        inFlight,
        metrics,
        config.log().access());
  }

  /**
   * Readiness off, drain in-flight requests, commit queued writes, close the store and Vert.x. Runs
   * on its own thread, so it may be called from anywhere, an event loop included.
   */
  public synchronized CompletableFuture<Void> stop() {
    if (stopping == null) {
      health.serving(false);
      stopping = CompletableFuture.runAsync(this::stopInOrder, Gateway::shutdownThread);
    }
    return stopping;
  }

  private void stopInOrder() {
    long timeoutMs = config.shutdown().timeout().toMillis() + STOP_MARGIN_MS;
    // The admin port goes last, so probes keep seeing "not ready" (503) while the API drains,
    // instead of a refused connection in the middle of the drain.
    for (String id : vertx.deploymentIDs()) {
      if (!id.equals(adminDeployment)) {
        awaitQuietly("undeploying", vertx.undeploy(id).toCompletionStage(), timeoutMs);
      }
    }
    if (adminDeployment != null) {
      awaitQuietly(
          "undeploying admin", vertx.undeploy(adminDeployment).toCompletionStage(), timeoutMs);
    }
    if (store != null) {
      awaitQuietly("closing the store", store.close(), timeoutMs);
    }
    if (upstreamMetadata != null) {
      upstreamMetadata.close();
    }
    if (service != null) {
      service.close();
    }
    if (upstream != null) {
      awaitQuietly("closing the upstream client", upstream.close().toCompletionStage(), timeoutMs);
    }
    if (verifier != null) {
      verifier.close();
    }
    awaitQuietly("closing Vert.x", vertx.close().toCompletionStage(), timeoutMs);
  }

  private static void awaitQuietly(String what, CompletionStage<?> stage, long timeoutMs) {
    try {
      stage.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{} during shutdown did not finish cleanly: {}", what, e.toString());
    }
  }

  private static void shutdownThread(Runnable r) {
    Thread t = new Thread(r, "metagate-stop");
    t.start();
  }

  /** The directory that holds the database file and the dev issuer's key. */
  public static Path dataDir(MetagateConfig config) {
    Path parent = Path.of(config.store().path()).toAbsolutePath().getParent();
    return parent != null ? parent : Path.of(".").toAbsolutePath();
  }

  public int apiPort() {
    return apiPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public Health health() {
    return health;
  }

  public MetagateConfig config() {
    return config;
  }

  public CaffeineUserCache cache() {
    return cache;
  }

  public Vertx vertx() {
    return vertx;
  }
}
