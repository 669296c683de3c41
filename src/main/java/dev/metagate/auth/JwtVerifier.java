package dev.metagate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies JWTs against a key source. Checks done here on top of the library's signature check, so
 * they hold whatever the library's defaults are: only asymmetric algorithms, a known key id (an
 * unknown one triggers one rate-limited key refresh), issuer, audience, and a required {@code exp}
 * plus {@code nbf}, both with the configured skew. Verified tokens are remembered by their SHA-256
 * until they expire, and the last few of each thread by their full text (see {@link RecentTokens}).
 */
final class JwtVerifier implements TokenVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
  private static final Set<String> ALLOWED_ALGS =
      Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA");
  private static final int MAX_TOKEN_CHARS = 16 * 1024;
  private static final int MAX_CACHED_TOKENS = 100_000;

  private final Vertx vertx;
  private final KeySource keys;
  private final JwtSettings settings;
  private final Clock clock;
  private final Cache<String, Principal> verified;

  /** Per verifier: a token is only good for the issuer and audience it was checked against. */
  private final ThreadLocal<RecentTokens> recentTokens = ThreadLocal.withInitial(RecentTokens::new);

  private final long refreshTimer;
  private volatile Jwks jwks = Jwks.EMPTY;
  private volatile Future<Jwks> refreshing;
  private volatile long lastUnknownKidRefreshMillis;

  JwtVerifier(Vertx vertx, KeySource keys, JwtSettings settings, Clock clock, Ticker ticker) {
    this.vertx = vertx;
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(MAX_CACHED_TOKENS)
            .ticker(ticker)
            .expireAfter(
                Expiry.<String, Principal>creating(
                    (k, p) -> java.time.Duration.ofNanos(untilExpiry(p))))
            .build();
    this.refreshTimer = vertx.setPeriodic(settings.refreshInterval().toMillis(), id -> refresh());
  }

  /** Loads the keys for the first time; the verifier answers 503 until some are loaded. */
  Future<Void> start() {
    return refresh().<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  @Override
  public Future<Principal> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(unauthenticated());
    }
    RecentTokens recent = recentTokens.get();
    Principal known = recent.find(token, this::notExpired);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    String digest = sha256(token);
    Principal cached = verified.getIfPresent(digest);
    if (cached != null) {
      recent.remember(token, cached);
      return Future.succeededFuture(cached);
    }
    JsonObject header = header(token);
    if (header == null || !allowedAlg(header.getValue("alg"))) {
      return Future.failedFuture(unauthenticated());
    }
    String kid = header.getValue("kid") instanceof String s ? s : null;
    return keysFor(kid).compose(k -> check(k, kid, token, digest));
  }

  private Future<Jwks> keysFor(String kid) {
    Jwks current = jwks;
    if (current.loaded() && (kid == null || current.kids().contains(kid))) {
      return Future.succeededFuture(current);
    }
    long now = clock.millis();
    // rate-limited also while no keys are loaded, so a dead JWKS endpoint is not hammered
    if (now - lastUnknownKidRefreshMillis < settings.unknownKidMinInterval().toMillis()) {
      return Future.succeededFuture(current);
    }
    lastUnknownKidRefreshMillis = now;
    return refresh().recover(e -> Future.succeededFuture(jwks));
  }

  private Future<Principal> check(Jwks k, String kid, String token, String digest) {
    if (!k.loaded()) {
      return Future.failedFuture(
          MetagateException.unavailable("token verification keys are not available", 1));
    }
    if (kid != null && !k.kids().contains(kid)) {
      return Future.failedFuture(unauthenticated());
    }
    return authenticate(k, token)
        .recover(
            e -> {
              LOG.debug("token rejected: {}", e.getMessage());
              return Future.failedFuture(unauthenticated());
            })
        .map(
            user -> {
              JsonObject payload = payloadOf(user);
              if (!claimsValid(payload)) {
                throw unauthenticated();
              }
              Principal p = Claims.principal(payload, settings.audience());
              verified.put(digest, p);
              recentTokens.get().remember(token, p);
              return p;
            });
  }

  /**
   * The library's check as a future. It throws (rather than failing the future) on some well-signed
   * but odd payloads, e.g. a string {@code exp}; that is a bad token, not a server error.
   */
  private static Future<User> authenticate(Jwks k, String token) {
    try {
      return k.auth().authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A missing or non-string {@code alg} is rejected here: {@code Set.of} cannot hold null. */
  private static boolean allowedAlg(Object alg) {
    return alg instanceof String s && ALLOWED_ALGS.contains(s);
  }

  /** The decoded claims: Vert.x keeps them as the {@code accessToken} attribute. */
  private static JsonObject payloadOf(User user) {
    JsonObject attr = user.attributes().getJsonObject("accessToken");
    return attr != null ? attr : user.principal();
  }

  private boolean claimsValid(JsonObject payload) {
    long now = clock.millis() / 1000;
    long skew = settings.clockSkew().toSeconds();
    if (!(payload.getValue("exp") instanceof Number exp) || exp.longValue() + skew <= now) {
      return false;
    }
    if (payload.getValue("nbf") instanceof Number nbf && nbf.longValue() - skew > now) {
      return false;
    }
    if (payload.containsKey("nbf") && !(payload.getValue("nbf") instanceof Number)) {
      return false;
    }
    if (!settings.issuer().equals(payload.getValue("iss"))) {
      return false;
    }
    if (!(payload.getValue("sub") instanceof String)) {
      return false;
    }
    return settings.audience().isEmpty() || audienceMatches(payload.getValue("aud"));
  }

  private boolean audienceMatches(Object aud) {
    if (aud instanceof String s) {
      return settings.audience().contains(s);
    }
    if (aud instanceof JsonArray a) {
      // only strings: the immutable audience list throws on contains(null)
      return a.stream().anyMatch(v -> v instanceof String s && settings.audience().contains(s));
    }
    return false;
  }

  private synchronized Future<Jwks> refresh() {
    Future<Jwks> inFlight = refreshing;
    if (inFlight != null && !inFlight.isComplete()) {
      return inFlight;
    }
    Future<Jwks> f =
        keys.fetch()
            // parsing keys loads crypto providers: off the event loop
            .compose(list -> vertx.executeBlocking(() -> Jwks.of(vertx, list, settings), false))
            .onSuccess(k -> jwks = k)
            .onFailure(e -> LOG.warn("refreshing token keys failed: {}", e.getMessage()));
    refreshing = f;
    return f;
  }

  @Override
  public void close() {
    vertx.cancelTimer(refreshTimer);
  }

  private boolean notExpired(long expiresAtSeconds) {
    return (expiresAtSeconds + settings.clockSkew().toSeconds()) * 1000 > clock.millis();
  }

  private long untilExpiry(Principal p) {
    long nowMillis = clock.millis();
    long expMillis = (p.expiresAtSeconds() + settings.clockSkew().toSeconds()) * 1000;
    return TimeUnit.MILLISECONDS.toNanos(Math.max(0, expMillis - nowMillis));
  }

  private static JsonObject header(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      byte[] json = Base64.getUrlDecoder().decode(token.substring(0, dot));
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** One digest per thread: looking a provider up for every request showed in profiles. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private static String sha256(String token) {
    byte[] d = SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(d);
  }

  static MetagateException unauthenticated() {
    return MetagateException.of(Code.UNAUTHENTICATED, "invalid or missing token");
  }

  /** For tests: the ids of the keys currently trusted. */
  List<String> kids() {
    return List.copyOf(jwks.kids());
  }
}
