package dev.metagate.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process ZITADEL for upstream-mode tests, on a free port. The six v1 metadata endpoints are
 * answered by a local-mode metagate behind it (its store and rules are ZITADEL's as the conformance
 * suite pins them: same shapes, same errors), with this server in front adding what a test needs:
 * per-endpoint call counters, the headers each endpoint last saw, revocable tokens, a personal
 * access token for metagate's token mode, and faults per endpoint ({@link Fault}). It also serves
 * {@code GET /management/v1/orgs/me} and {@code POST /oauth/v2/token} for pass-through tests.
 *
 * <p>It speaks gRPC too, as ZITADEL does on its REST port (h2c here): a call is counted as {@link
 * #grpc grpc:Method} and relayed to the backend's gRPC server (the metadata services, health,
 * reflection; anything else is UNIMPLEMENTED there), with {@code grpc-status} and {@code
 * grpc-message} always in real trailers plus a trailer {@code x-fake-zitadel: 1}, so a test sees
 * whether trailers survived a proxy. A revoked token is UNAUTHENTICATED with ZITADEL's message.
 */
public final class FakeZitadel implements AutoCloseable {
  public static final String ORGS_ME = "orgs/me";
  public static final String OAUTH_TOKEN = "oauth/token";
  public static final String LIST_EVENTS = "ListEvents";
  private static final Map<String, String> WRITE_EVENTS =
      Map.of(
          "SetUserMetadata", "user.metadata.set",
          "BulkSetUserMetadata", "user.metadata.set",
          "RemoveUserMetadata", "user.metadata.removed",
          "BulkRemoveUserMetadata", "user.metadata.removed");

  private final TestIssuer issuer;
  private final TestGateway backend;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final HttpClient h2c;
  private final HttpServer server;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, MultiMap> lastHeaders = new ConcurrentHashMap<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final String pat = "fake-pat-" + UUID.randomUUID();
  private final String patAsJwt;
  private final FakeEvents events = new FakeEvents();
  private final FakeServiceUser serviceUser = new FakeServiceUser();
  private final boolean tls;

  private FakeZitadel(TestIssuer issuer, HttpServerOptions options) {
    this.tls = options.isSsl();
    this.issuer = issuer;
    this.backend = TestGateway.start(issuer);
    this.patAsJwt = issuer.token("metagate-service", "service-org", "IAM_OWNER");
    this.client = vertx.createHttpClient();
    this.h2c =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    this.server =
        vertx.createHttpServer(options.setHttp2ClearTextEnabled(true)).requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  /** A fake ZITADEL whose tokens are those of {@code issuer}. */
  public static FakeZitadel start(TestIssuer issuer) {
    return new FakeZitadel(issuer, new HttpServerOptions());
  }

  /** The same over https, with the key and certificate of {@code keyStore}. */
  public static FakeZitadel startTls(TestIssuer issuer, KeyCertOptions keyStore) {
    return new FakeZitadel(
        issuer, new HttpServerOptions().setSsl(true).setKeyCertOptions(keyStore));
  }

  public String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort();
  }

  /** A client for calling this fake directly, as an app would call ZITADEL (plain http only). */
  public Http http() {
    return new Http(url());
  }

  /** A personal access token of an instance administrator, for metagate's token mode. */
  public String pat() {
    return pat;
  }

  /** The service user whose key metagate may log in with ({@code upstream.keyFile}). */
  public FakeServiceUser serviceUser() {
    return serviceUser;
  }

  /** From now on, {@code token} is refused with 401, as a revoked session is. */
  public void revoke(String token) {
    revoked.add(token);
  }

  /** Calls received for {@code operation} (a gRPC method name, {@link #ORGS_ME}, …). */
  public int calls(String operation) {
    AtomicInteger n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** The operation name a gRPC call of {@code method} (e.g. "Check") is counted under. */
  public static String grpc(String method) {
    return "grpc:" + method;
  }

  /** Calls received in total, on any path. */
  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** The headers of the latest call of {@code operation}, or null. */
  public MultiMap lastHeaders(String operation) {
    return lastHeaders.get(operation);
  }

  /**
   * Records an event as ZITADEL would, for its event search; metadata writes through this fake
   * record theirs by themselves.
   */
  public void event(String type, String aggregateType, String aggregateId, String resourceOwner) {
    events.add(type, aggregateType, aggregateId, resourceOwner);
  }

  /** Applies {@code fault} to calls of {@code operation} until {@link #heal()}. */
  public void fault(String operation, Fault fault) {
    faults.put(operation, fault);
  }

  public void heal() {
    faults.clear();
  }

  public void resetCounters() {
    calls.clear();
    lastHeaders.clear();
  }

  private void handle(HttpServerRequest req) {
    boolean grpc = isGrpc(req);
    String op =
        grpc
            ? grpc(req.path().substring(req.path().lastIndexOf('/') + 1))
            : FakeRoutes.operation(req.method(), req.path());
    calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    lastHeaders.put(op, MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
    req.body()
        .onSuccess(
            body -> {
              Fault fault = faults.get(op);
              if (fault != null && fault.applies()) {
                fault.apply(vertx, req, () -> serve(op, req, body));
              } else {
                serve(op, req, body);
              }
            });
  }

  private void serve(String op, HttpServerRequest req, Buffer body) {
    String auth = req.getHeader("authorization");
    boolean isRevoked =
        auth != null && auth.startsWith("Bearer ") && revoked.contains(auth.substring(7));
    if (isGrpc(req)) {
      if (isRevoked) {
        grpcError(req, 16, "Errors.Token.Invalid (AUTH-7fs1e)");
      } else {
        forwardGrpc(req, body, auth);
      }
    } else if (isRevoked) {
      unauthenticated(req);
    } else if (op.equals(LIST_EVENTS)) {
      listEvents(req, auth, body);
    } else if (op.equals(ORGS_ME)) {
      orgsMe(req, auth);
    } else if (op.equals(OAUTH_TOKEN) && FakeServiceUser.isJwtProfile(body.toString())) {
      var answer = serviceUser.grant(body.toString(), url());
      req.response()
          .setStatusCode(answer.status())
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(answer.body().encode());
    } else if (op.equals(OAUTH_TOKEN)) {
      req.response()
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(
              new JsonObject()
                  .put("access_token", "issued-" + body.length())
                  .put("token_type", "Bearer")
                  .put("received", body.toString())
                  .encode());
    } else {
      forward(req, body, auth);
    }
  }

  /** Only the instance administrator (metagate's PAT) may search events. */
  private void listEvents(HttpServerRequest req, String auth, Buffer body) {
    if (!isService(auth)) {
      unauthenticated(req);
      return;
    }
    JsonObject q = body.length() == 0 ? new JsonObject() : new JsonObject(body);
    req.response().putHeader("content-type", "application/json").end(events.search(q).encode());
  }

  private void orgsMe(HttpServerRequest req, String auth) {
    if (auth == null) {
      unauthenticated(req);
      return;
    }
    String org = req.getHeader("x-zitadel-orgid");
    req.response()
        .putHeader("content-type", "application/json")
        .putHeader("x-fake-zitadel", "1")
        .end(
            new JsonObject()
                .put(
                    "org",
                    new JsonObject().put("id", org == null ? "org-1" : org).put("name", "Fake"))
                .encode());
  }

  /** The metadata endpoints (and anything unknown) are answered by the backend's rules. */
  private void forward(HttpServerRequest req, Buffer body, String auth) {
    RequestOptions o =
        new RequestOptions()
            .setMethod(req.method())
            .setHost("127.0.0.1")
            .setPort(backend.gateway().apiPort())
            .setURI(req.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers()).remove("host");
    if (isService(auth)) {
      headers.set("authorization", "Bearer " + patAsJwt);
    }
    o.setHeaders(headers.remove("content-length"));
    client
        .request(o)
        .compose(r -> r.send(body))
        .compose(r -> r.body().map(b -> reply(req, r, b)))
        .onSuccess(x -> recordWrite(req))
        .onFailure(e -> req.response().setStatusCode(502).end());
  }

  /** metagate's own credential: the PAT, or an unexpired access token of the service user. */
  private boolean isService(String auth) {
    return auth != null && (auth.equals("Bearer " + pat) || serviceUser.accepts(auth));
  }

  private static boolean isGrpc(HttpServerRequest req) {
    String type = req.getHeader("content-type");
    return type != null && type.startsWith("application/grpc");
  }

  /** Relays a gRPC call to the backend over h2c; the status always travels in trailers. */
  private void forwardGrpc(HttpServerRequest req, Buffer body, String auth) {
    RequestOptions o =
        new RequestOptions()
            .setMethod(req.method())
            .setHost("127.0.0.1")
            .setPort(backend.gateway().apiPort())
            .setURI(req.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    req.headers()
        .forEach(
            (k, v) -> {
              String name = k.toLowerCase(java.util.Locale.ROOT);
              if (!Set.of("host", "content-length", "connection", "transfer-encoding", "upgrade")
                  .contains(name)) {
                headers.add(name, v);
              }
            });
    if (isService(auth)) {
      headers.set("authorization", "Bearer " + patAsJwt);
    }
    o.setHeaders(headers);
    boolean web = req.getHeader("content-type").startsWith("application/grpc-web");
    h2c.request(o)
        .compose(r -> r.send(body))
        .compose(r -> r.body().map(b -> grpcReply(req, r, b, web)))
        .onFailure(e -> grpcError(req, 14, "fake: backend unreachable"));
  }

  private static Void grpcReply(
      HttpServerRequest req, HttpClientResponse r, Buffer body, boolean web) {
    var out = req.response().setStatusCode(r.statusCode());
    r.headers()
        .forEach(
            (k, v) -> {
              boolean status =
                  k.equalsIgnoreCase("grpc-status") || k.equalsIgnoreCase("grpc-message");
              if (status && !web) {
                out.trailers().add(k, v); // a trailers-only answer, moved to real trailers
              } else if (!k.equalsIgnoreCase("content-length")) {
                out.headers().add(k, v);
              }
            });
    if (!web) {
      out.trailers().addAll(r.trailers()).add("x-fake-zitadel", "1");
    }
    out.end(body);
    return null;
  }

  private static void grpcError(HttpServerRequest req, int code, String message) {
    var out =
        req.response()
            .putHeader("content-type", req.getHeader("content-type"))
            .putHeader("grpc-status", String.valueOf(code))
            .putHeader("grpc-message", message);
    out.end();
  }

  private void recordWrite(HttpServerRequest req) {
    String type = WRITE_EVENTS.get(FakeRoutes.operation(req.method(), req.path()));
    if (type != null && req.response().getStatusCode() == 200) {
      String user = req.path().split("/")[4]; // /management/v1/users/{id}/metadata/...
      String org = req.getHeader("x-zitadel-orgid");
      events.add(
          type, "user", user, org != null ? org : "org-1"); // the tests' callers are in org-1
    }
  }

  private static Void reply(HttpServerRequest req, HttpClientResponse r, Buffer body) {
    req.response().setStatusCode(r.statusCode());
    String type = r.getHeader("content-type");
    if (type != null) {
      req.response().putHeader("content-type", type);
    }
    req.response().end(body);
    return null;
  }

  private static void unauthenticated(HttpServerRequest req) {
    JsonObject detail =
        new JsonObject()
            .put("@type", "type.googleapis.com/zitadel.v1.ErrorDetail")
            .put("id", "AUTH-7fs1e")
            .put("message", "Errors.Token.Invalid");
    req.response()
        .setStatusCode(401)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("code", 16)
                .put("message", "Errors.Token.Invalid (AUTH-7fs1e)")
                .put("details", new JsonArray().add(detail))
                .encode());
  }

  public TestIssuer issuer() {
    return issuer;
  }

  @Override
  public void close() {
    vertx.close().await();
    backend.close();
  }
}
