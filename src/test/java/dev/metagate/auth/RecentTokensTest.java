package dev.metagate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-thread memo of recent tokens must never accept what the verifier itself would refuse: an
 * expired token, a token that differs in one character, or a token checked by another verifier.
 */
class RecentTokensTest {
  private static final Duration SKEW = Duration.ofSeconds(5);

  static TestIssuer issuer;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    issuer.close();
  }

  @Test
  void rememberedToken_pastItsExpiry_isRejected() throws Exception {
    AtomicLong nowMillis = new AtomicLong(System.currentTimeMillis());
    TokenVerifier v = verifier(List.of(), nowMillis);
    JsonObject claims = issuer.claims("u1", "org1").put("exp", nowMillis.get() / 1000 + 60);
    String token = issuer.rs256(claims);

    assertThat(onOneThread(() -> v.verify(token))).isNotNull();
    assertThat(onOneThread(() -> v.verify(token))).isNotNull(); // from the memo
    nowMillis.addAndGet(Duration.ofSeconds(60).plus(SKEW).plusSeconds(1).toMillis());

    assertUnauthenticated(() -> v.verify(token));
  }

  @Test
  void rememberedToken_withOneCharacterChanged_isRejected() throws Exception {
    TokenVerifier v = verifier(List.of(), new AtomicLong(System.currentTimeMillis()));
    String token = issuer.token("u1", "org1");
    assertThat(onOneThread(() -> v.verify(token))).isNotNull();

    // not the last character: its low bits are base64 padding that decoders ignore
    int at = token.length() - 10;
    char c = token.charAt(at);
    String changed = token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);

    assertUnauthenticated(() -> v.verify(changed));
  }

  @Test
  void tokenRememberedByOneVerifier_isNotAcceptedByAnotherWithOtherAudience() throws Exception {
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    TokenVerifier lenient = verifier(List.of(), now);
    TokenVerifier strict = verifier(List.of("another-project"), now);
    String token = issuer.token("u1", "org1");

    assertThat(onOneThread(() -> lenient.verify(token))).isNotNull();

    assertUnauthenticated(() -> strict.verify(token));
  }

  @Test
  void manyTokensOnOneThread_eachStillVerifiesAsItself() throws Exception {
    TokenVerifier v = verifier(List.of(), new AtomicLong(System.currentTimeMillis()));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tokens.add(issuer.token("user-" + i, "org1"));
    }
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < tokens.size(); i++) {
        String t = tokens.get(i);
        assertThat(onOneThread(() -> v.verify(t)).subject()).isEqualTo("user-" + i);
      }
    }
  }

  private static TokenVerifier verifier(List<String> audience, AtomicLong nowMillis)
      throws Exception {
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(nowMillis.get());
          }
        };
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(nowMillis.get());
    var keys = new ArrayList<JsonObject>();
    issuer.jwks().getJsonArray("keys").forEach(k -> keys.add((JsonObject) k));
    var settings =
        new JwtSettings(
            issuer.url(), audience, SKEW, Duration.ofMinutes(5), Duration.ofSeconds(10));
    return Verifiers.jwt(vertx, KeySource.fixed(keys), settings, clock, ticker)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static Principal onOneThread(Supplier<Future<Principal>> call) throws Exception {
    CompletableFuture<Principal> out = new CompletableFuture<>();
    context().runOnContext(x -> call.get().onComplete(r -> complete(out, r.result(), r.cause())));
    return out.get(10, TimeUnit.SECONDS);
  }

  private static void assertUnauthenticated(Supplier<Future<Principal>> call) {
    CompletableFuture<Principal> out = new CompletableFuture<>();
    context().runOnContext(x -> call.get().onComplete(r -> complete(out, r.result(), r.cause())));
    assertThat(out)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            MetagateException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAUTHENTICATED));
  }

  private static void complete(CompletableFuture<Principal> out, Principal p, Throwable e) {
    if (e != null) {
      out.completeExceptionally(e);
    } else {
      out.complete(p);
    }
  }

  /** Every verification runs on this one event-loop context, where the memo lives. */
  private static io.vertx.core.Context context;

  private static synchronized io.vertx.core.Context context() {
    if (context == null) {
      context = vertx.getOrCreateContext();
    }
    return context;
  }
}
