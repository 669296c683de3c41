package dev.metagate.upstream;

import static dev.metagate.upstream.Upstreams.path;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.metagate.testing.FakeZitadel;
import dev.metagate.testing.Fault;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.LogCapture;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension
  static final Sidecar up =
      Sidecar.with(
          fake ->
              Map.of(
                  "METAGATE_UPSTREAM_TOKEN", fake.pat(),
                  "METAGATE_UPSTREAM_EVENTS_ENABLED", "true",
                  "METAGATE_UPSTREAM_EVENTS_INTERVAL", "100ms",
                  "METAGATE_CACHE_TTL", "1h",
                  "METAGATE_CACHE_PERMISSION_TTL", "1h"));

  @BeforeEach
  void healed() {
    up.fake.heal();
    awaitPolls(); // the baseline, and any event of an earlier test, are behind us
    up.fake.resetCounters();
  }

  /** Waits until a poll that started after this call has ended. */
  private static void awaitPolls() {
    int n = up.fake.calls(FakeZitadel.LIST_EVENTS);
    eventually(() -> up.fake.calls(FakeZitadel.LIST_EVENTS) >= n + 2);
  }

  private static void eventually(BooleanSupplier condition) {
    Upstreams.eventually(WAIT_MS, condition);
  }

  /** A user with key k set directly at the fake, cached by one read through metagate. */
  private static String cachedUser(String value) {
    String user = "event-user-" + USERS.incrementAndGet();
    assertThat(setDirectly(user, value)).isEqualTo(200);
    awaitPolls();
    up.fake.resetCounters();
    assertThat(read(user)).isEqualTo(value);
    assertThat(read(user)).isEqualTo(value);
    assertThat(up.fake.calls(LIST)).as("second read from the cache").isEqualTo(1);
    return user;
  }

  private static int setDirectly(String user, String value) {
    return up.fake.http().post(path(user, "k"), up.owner, "{\"value\":\"" + value + "\"}").status();
  }

  private static String read(String user) {
    var r = up.gw.http().get(path(user, "k"), up.owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonObject("metadata").getString("value");
  }

  @Test
  void writeThatBypassesMetagate_isReadThroughMetagateAfterTheNextPoll() {
    String user = cachedUser("YQ==");
    assertThat(setDirectly(user, "Yg==")).isEqualTo(200);
    eventually(() -> read(user).equals("Yg=="));
    assertThat(up.fake.calls(LIST)).isEqualTo(2);
  }

  @Test
  void orgRemovedEvent_dropsTheOrgsEntries() {
    String user = cachedUser("YQ==");
    up.fake.event("org.removed", "org", Upstreams.ORG, Upstreams.ORG);
    eventually(
        () -> {
          read(user);
          return up.fake.calls(LIST) == 2;
        });
  }

  @Test
  void eventOfAnotherUser_keepsTheEntry() {
    String user = cachedUser("YQ==");
    up.fake.event("user.metadata.set", "user", "someone-else", Upstreams.ORG);
    awaitPolls();
    read(user);
    assertThat(up.fake.calls(LIST)).isEqualTo(1);
  }

  @Test
  void failingEventSearch_dropsTheCacheAndWarnsOnce() {
    String user = cachedUser("YQ==");
    int mark = LogCapture.mark();
    up.fake.fault(FakeZitadel.LIST_EVENTS, Fault.status(500));
    eventually(
        () -> {
          read(user);
          return up.fake.calls(LIST) == 2;
        });
    awaitPolls();
    long warnings =
        LogCapture.since(mark).stream()
            .filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().endsWith("EventPoller"))
            .count();
    assertThat(warnings).isEqualTo(1);
    up.fake.heal();
    awaitPolls();
    int lists = up.fake.calls(LIST);
    read(user);
    read(user);
    assertThat(up.fake.calls(LIST)).as("cached again once the search works").isEqualTo(lists + 1);
  }
}
