package dev.metagate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.testing.ChildGateway;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of the real process in the middle of concurrent bulk writes, several times on the
 * same database file: after each restart every acknowledged write is there and no bulk is applied
 * by half (see {@link BulkWriters} for how that is told apart).
 */
class CrashRecoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
  private static final int KILL_CYCLES = 3;
  private static final int WRITERS = 8;
  private static final long SEED = 20_251_127L;

  @TempDir Path dir;

  @BeforeAll
  static void jarIsBuilt() {
    ChildGateway.jar(); // fails with a clear message when not run through 'mvn verify'
  }

  @Test
  void kill9_duringConcurrentBulkSets_losesNoAcknowledgedWrite_andAppliesNoBulkByHalf()
      throws InterruptedException {
    String token = ChildGateway.token(dir, "crash-test", "o1");
    BulkWriters writers = new BulkWriters(WRITERS);
    Random rnd = new Random(SEED);
    for (int cycle = 0; cycle < KILL_CYCLES; cycle++) {
      try (ChildGateway gw = ChildGateway.start(dir, Map.of())) {
        writers.verify(gw.http(), token);
        writers.start(gw.http(), token);
        writers.awaitAcks(3);
        Thread.sleep(rnd.nextInt(250)); // vary where in a commit the kill lands
        gw.kill();
        writers.join();
        assertThat(gw.errorLines()).isEmpty();
      }
    }
    try (ChildGateway gw = ChildGateway.start(dir, Map.of())) {
      writers.verify(gw.http(), token);
      gw.sigterm();
      assertThat(gw.awaitExit()).isZero();
      assertThat(gw.errorLines()).isEmpty();
    }
    LOG.info(
        "{} bulks acknowledged over {} kills; {} whose answer the kill cut off were applied",
        writers.acknowledged(),
        KILL_CYCLES,
        writers.lostAnswersApplied());
    assertThat(writers.unexpectedAnswers()).isEmpty();
    assertThat(writers.acknowledged()).isGreaterThanOrEqualTo(KILL_CYCLES * WRITERS * 3L);
  }
}
