package dev.metagate.upstream;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The setup most upstream-mode test classes share, as a JUnit extension: before all tests an
 * issuer, a fake ZITADEL with its tokens and metagate in upstream mode in front of it ({@link
 * Upstreams#gateway}); before each test the fake's faults healed and counters zeroed; after all,
 * everything closed. Register it with {@code @RegisterExtension static final Sidecar up = ...}.
 */
final class Sidecar implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final Function<FakeZitadel, Map<String, String>> env;
  private Ticker ticker = Ticker.systemTicker();
  TestIssuer issuer;
  FakeZitadel fake;
  TestGateway gw;

  /** A caller who owns {@link Upstreams#ORG}, set once started. */
  String owner;

  private Sidecar(Function<FakeZitadel, Map<String, String>> env) {
    this.env = env;
  }

  /** metagate with the settings of {@code env} on top of {@link Upstreams#gateway}'s. */
  static Sidecar with(Map<String, String> env) {
    return new Sidecar(fake -> env);
  }

  /** The same, for settings that name the fake (its PAT, say). */
  static Sidecar with(Function<FakeZitadel, Map<String, String>> env) {
    return new Sidecar(env);
  }

  /** The upstream cache's time comes from {@code t}. */
  Sidecar ticker(Ticker t) {
    this.ticker = t;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    issuer = TestIssuer.start();
    fake = FakeZitadel.start(issuer);
    gw = Upstreams.gateway(fake, env.apply(fake), ticker);
    owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    fake.heal();
    fake.resetCounters();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    gw.close();
    fake.close();
    issuer.close();
  }
}
