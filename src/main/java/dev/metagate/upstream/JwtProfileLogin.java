package dev.metagate.upstream;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZITADEL's JWT profile grant (RFC 7523) for a service user: a short assertion signed with the
 * user's key ({@code iss} = {@code sub} = the user id, {@code aud} = ZITADEL's origin, {@code kid}
 * = the key id) is exchanged at {@code /oauth/v2/token} for an access token with the scope that
 * lets it call ZITADEL's APIs. The token is renewed at three quarters of its lifetime; a failed
 * exchange is retried with jittered backoff (0.5 s doubling to 30 s) while the old token, if still
 * valid, stays in use. Everything runs on one Vert.x context.
 */
final class JwtProfileLogin implements ServiceCredential {
  static final String OPERATION = "ServiceToken";
  static final String TOKEN_PATH = "/oauth/v2/token";
  static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String SCOPE = "openid urn:zitadel:iam:org:project:id:zitadel:aud";
  private static final Logger LOG = LoggerFactory.getLogger(JwtProfileLogin.class);
  private static final int ASSERTION_SECONDS = 300;
  private static final long MIN_RETRY_MS = 500;
  private static final long MAX_RETRY_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final UpstreamClient client;
  private final ServiceKey key;
  private final String audience;
  private final JWTAuth signer;
  private volatile String authorization;
  private volatile long expiresAtNanos;
  private int failures;
  private long timer = -1;
  private volatile boolean closed;

  JwtProfileLogin(Vertx vertx, UpstreamClient client, UpstreamOptions options, ServiceKey key) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.key = key;
    this.audience = origin(options);
    this.signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(key.pkcs8Pem())));
  }

  /** ZITADEL's issuer as metagate reaches it: scheme, host and a non-default port. */
  static String origin(UpstreamOptions o) {
    boolean defaultPort = o.port() == (o.tls() ? 443 : 80);
    return (o.tls() ? "https" : "http") + "://" + o.host() + (defaultPort ? "" : ":" + o.port());
  }

  @Override
  public String authorization() {
    String held = authorization;
    return held != null && System.nanoTime() - expiresAtNanos < 0 ? held : null;
  }

  @Override
  public void start() {
    context.runOnContext(x -> exchange());
  }

  @Override
  public void close() {
    closed = true;
    context.runOnContext(x -> vertx.cancelTimer(timer));
  }

  private void exchange() {
    if (closed) {
      return;
    }
    client.send(tokenCall()).onComplete(ar -> context.runOnContext(x -> exchanged(ar)));
  }

  UpstreamCall tokenCall() {
    String assertion =
        signer.generateToken(
            new JsonObject(),
            new JWTOptions()
                .setAlgorithm("RS256")
                .setHeader(new JsonObject().put("kid", key.keyId()))
                .setIssuer(key.userId())
                .setSubject(key.userId())
                .setAudience(List.of(audience))
                .setExpiresInSeconds(ASSERTION_SECONDS));
    String form =
        "grant_type="
            + encode(GRANT)
            + "&scope="
            + encode(SCOPE)
            + "&assertion="
            + encode(assertion);
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("content-type", "application/x-www-form-urlencoded")
            .add("accept", "application/json");
    return new UpstreamCall(
        OPERATION, HttpMethod.POST, TOKEN_PATH, headers, Buffer.buffer(form), false);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void exchanged(AsyncResult<UpstreamReply> ar) {
    if (closed) {
      return;
    }
    String problem;
    if (ar.failed()) {
      problem = ar.cause().getMessage();
    } else {
      UpstreamReply reply = ar.result();
      JsonObject body = json(reply.body());
      String token = body == null ? null : text(body, "access_token");
      long seconds = body == null ? 0 : lifetime(body);
      if (reply.ok() && token != null && seconds > 0) {
        held(token, seconds);
        return;
      }
      problem = reply.ok() ? "an answer without access_token/expires_in" : refusal(reply, body);
    }
    failures++;
    if (failures == 1 || Long.bitCount(failures) == 1) { // 1st, 2nd, 4th, 8th… in a row
      LOG.warn(
          "no access token for service user {} (key {}) from {}{}: {}; trying again{}",
          key.userId(),
          key.keyId(),
          audience,
          TOKEN_PATH,
          problem,
          authorization() != null ? " (the current token is still valid)" : "");
    }
    schedule(retryMs(failures));
  }

  private void held(String token, long seconds) {
    boolean first = authorization == null || failures > 0;
    authorization = "Bearer " + token;
    expiresAtNanos = System.nanoTime() + seconds * 1_000_000_000L;
    failures = 0;
    if (first) {
      LOG.info(
          "obtained an access token for service user {} (key {}), valid {} s",
          key.userId(),
          key.keyId(),
          seconds);
    }
    schedule(Math.max(1000, seconds * 750));
  }

  private void schedule(long ms) {
    if (!closed) {
      timer = vertx.setTimer(ms, id -> exchange());
    }
  }

  private static long retryMs(int failures) {
    long cap = Math.min(MAX_RETRY_MS, MIN_RETRY_MS << Math.min(failures - 1, 16));
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
  }

  private static String refusal(UpstreamReply reply, JsonObject body) {
    String error = body == null ? null : text(body, "error");
    String description = body == null ? null : text(body, "error_description");
    return "ZITADEL answered "
        + reply.status()
        + (error != null ? " " + error : "")
        + (description != null ? " (" + description + ")" : "");
  }

  private static JsonObject json(Buffer body) {
    try {
      return body.length() == 0 ? null : new JsonObject(body);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s && !s.isEmpty() ? s : null;
  }

  private static long lifetime(JsonObject body) {
    return body.getValue("expires_in") instanceof Number n ? n.longValue() : 0;
  }
}
