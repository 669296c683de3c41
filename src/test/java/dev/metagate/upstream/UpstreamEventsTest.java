package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.LogCapture;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code upstream.events}: metagate polls ZITADEL's event search every 100 ms with its own token
 * and drops the cached entries the events name, so a change that bypassed metagate shows after the
 * next poll although {@code cache.ttl} is an hour. A failing event search drops the whole cache.
 */
@ExtendWith(Invariants.class)
class UpstreamEventsTest {
  private static final String LIST = "ListUserMetadata";
  private static final long WAIT_MS = 5_000;
  private static final AtomicInteger USERS = new AtomicInteger();
  private static TestIssuer issuer;
  private static FakeZitadel fake;
  private static TestGateway gw;
  private static String owner;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.start();
    fake = FakeZitadel.start(issuer);
    gw =
        Upstreams.gateway(
            fake,
            Map.of(
                "METAGATE_UPSTREAM_TOKEN", fake.pat(),
                "METAGATE_UPSTREAM_EVENTS_ENABLED", "true",
                "METAGATE_UPSTREAM_EVENTS_INTERVAL", "100ms",
                "METAGATE_CACHE_TTL", "1h",
                "METAGATE_CACHE_PERMISSION_TTL", "1h"));
    owner = issuer.token("owner-1", Upstreams.ORG, "ORG_OWNER");
  }

  @AfterAll
  static void stop() {
    gw.close();
    fake.close();
    issuer.close();
  }

  @BeforeEach
  void healed() {
    fake.heal();
    awaitPolls(); // the baseline, and any event of an earlier test, are behind us
    fake.resetCounters();
  }

  /** Waits until a poll that started after this call has ended. */
  private static void awaitPolls() {
    int n = fake.calls(FakeZitadel.LIST_EVENTS);
    eventually(() -> fake.calls(FakeZitadel.LIST_EVENTS) >= n + 2);
  }

  private static void eventually(BooleanSupplier condition) {
    Upstreams.eventually(WAIT_MS, condition);
  }

  /** A user with key k set directly at the fake, cached by one read through metagate. */
  private static String cachedUser(String value) {
    String user = "event-user-" + USERS.incrementAndGet();
    assertThat(setDirectly(user, value)).isEqualTo(200);
    awaitPolls();
    fake.resetCounters();
    assertThat(read(user)).isEqualTo(value);
    assertThat(read(user)).isEqualTo(value);
    assertThat(fake.calls(LIST)).as("second read from the cache").isEqualTo(1);
    return user;
  }

  private static int setDirectly(String user, String value) {
    return fake.http().post(path(user, "k"), owner, "{\"value\":\"" + value + "\"}").status();
  }

  private static String read(String user) {
    var r = gw.http().get(path(user, "k"), owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonObject("metadata").getString("value");
  }

  @Test
  void writeThatBypassesMetagate_isReadThroughMetagateAfterTheNextPoll() {
    String user = cachedUser("YQ==");
    assertThat(setDirectly(user, "Yg==")).isEqualTo(200);
    eventually(() -> read(user).equals("Yg=="));
    assertThat(fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void orgRemovedEvent_dropsTheOrgsEntries() {
    String user = cachedUser("YQ==");
    fake.event("org.removed", "org", Upstreams.ORG, Upstreams.ORG);
    eventually(
        () -> {
          read(user);
          return fake.calls(LIST) == 2;
        });
  }

  @Test
  void eventOfAnotherUser_keepsTheEntry() {
    String user = cachedUser("YQ==");
    fake.event("user.metadata.set", "user", "someone-else", Upstreams.ORG);
    awaitPolls();
    read(user);
    assertThat(fake.calls(LIST)).isEqualTo(1);
  }

  @Test
  void failingEventSearch_dropsTheCacheAndWarnsOnce() {
    String user = cachedUser("YQ==");
    int mark = LogCapture.mark();
    fake.fault(FakeZitadel.LIST_EVENTS, Fault.status(500));
    eventually(
        () -> {
          read(user);
          return fake.calls(LIST) == 2;
        });
    awaitPolls();
    long warnings =
        LogCapture.since(mark).stream()
            .filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().endsWith("EventPoller"))
            .count();
    assertThat(warnings).isEqualTo(1);
    fake.heal();
    awaitPolls();
    int lists = fake.calls(LIST);
    read(user);
    read(user);
    assertThat(fake.calls(LIST)).as("cached again once the search works").isEqualTo(lists + 1);
  }
}
