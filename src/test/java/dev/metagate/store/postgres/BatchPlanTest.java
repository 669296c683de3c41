package dev.metagate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.metadata.CommittedWrite;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataEntry;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import dev.metagate.metadata.WriteCommand;
import dev.metagate.store.postgres.BatchPlan.UserState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  private static final UserRef U = new UserRef("o", "u");

  private static WriteCommand set(String key, String value) {
    return new WriteCommand.SetKeys(List.of(new KeyValue(key, value.getBytes())));
  }

  private static BatchPlan planWithA() {
    return new BatchPlan(
        Map.of(U, new UserState(4, 100)),
        Map.of(U, Map.of("a", new MetadataEntry("a", "x".getBytes(), 4, 50, 100))));
  }

  @Test
  void commandsInOneBatch_continueEachOthersSequence_andUnchangedValuesAreNoEvent() {
    BatchPlan plan = planWithA();
    CommittedWrite same = (CommittedWrite) plan.apply(U, set("a", "x"), 200);
    assertThat(same.changes()).isEmpty();
    assertThat(same.sequence()).isEqualTo(4);
    assertThat(same.changeMicros()).isEqualTo(100);
    CommittedWrite changed = (CommittedWrite) plan.apply(U, set("a", "y"), 200);
    assertThat(changed.sequence()).isEqualTo(5);
    assertThat(changed.changes().get(0).entry().creationMicros()).isEqualTo(50);
    CommittedWrite next = (CommittedWrite) plan.apply(U, set("b", "z"), 150);
    assertThat(next.sequence()).isEqualTo(6);
    assertThat(next.changeMicros()).as("never before the user's last change").isEqualTo(200);
    assertThat(plan.changedUsers()).containsEntry(U, new UserState(6, 200));
    assertThat(plan.upserts()).extracting(BatchPlan.Row::key).containsExactly("a", "b");
  }

  @Test
  void removeWithAMissingKey_changesNothing_andARemovedKeySetAgainIsNewlyCreated() {
    BatchPlan plan = planWithA();
    Object failed = plan.apply(U, new WriteCommand.RemoveKeys(List.of("a", "zz"), true), 200);
    assertThat(failed).isInstanceOf(MetagateException.class);
    assertThat(plan.changedUsers()).isEmpty();
    CommittedWrite removed =
        (CommittedWrite) plan.apply(U, new WriteCommand.RemoveKeys(List.of("a"), false), 200);
    assertThat(removed.sequence()).isEqualTo(5);
    assertThat(plan.deletes()).extracting(BatchPlan.Row::key).containsExactly("a");
    CommittedWrite again = (CommittedWrite) plan.apply(U, set("a", "x"), 300);
    assertThat(again.changes().get(0).entry().creationMicros()).isEqualTo(300);
    assertThat(plan.deletes()).isEmpty();
    assertThat(plan.upserts()).extracting(BatchPlan.Row::key).containsExactly("a");
  }
}
