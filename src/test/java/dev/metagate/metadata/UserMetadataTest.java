package dev.metagate.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserMetadataTest {
  private static final UserRef U = new UserRef("o", "u");

  private static MetadataEntry e(String key, String value, long seq) {
    return new MetadataEntry(key, value.getBytes(StandardCharsets.UTF_8), seq, 10, 10 + seq);
  }

  @Test
  void entries_areSortedByKey_andFoundByBinarySearch() {
    UserMetadata m =
        UserMetadata.of(U, 3, 13, List.of(e("b", "2", 2), e("c", "3", 3), e("a", "1", 1)));
    assertThat(m.list(ListQuery.DEFAULT, List.of()).result())
        .extracting(MetadataEntry::key)
        .containsExactly("a", "b", "c");
    assertThat(m.get("b").sequence()).isEqualTo(2);
    assertThat(m.get("zz")).isNull();
  }

  @Test
  void list_countsMatchesBeforePaging_andAndsQueries() {
    UserMetadata m =
        UserMetadata.of(
            U,
            4,
            14,
            List.of(e("pre.a", "1", 1), e("pre.b", "2", 2), e("PRE.c", "3", 3), e("x", "4", 4)));
    List<KeyQuery> q =
        List.of(
            new KeyQuery("pre", TextQueryMethod.STARTS_WITH_IGNORE_CASE),
            new KeyQuery("c", TextQueryMethod.ENDS_WITH));
    assertThat(m.list(ListQuery.DEFAULT, q).result())
        .extracting(MetadataEntry::key)
        .containsExactly("PRE.c");
    MetadataPage page =
        m.list(
            new ListQuery(1, 1, true),
            List.of(new KeyQuery("pre", TextQueryMethod.STARTS_WITH_IGNORE_CASE)));
    assertThat(page.totalResult()).isEqualTo(3);
    assertThat(page.processedSequence()).isEqualTo(4);
    assertThat(page.result()).extracting(MetadataEntry::key).containsExactly("pre.a");
  }

  @Test
  void list_offsetBeyondMatches_isEmptyNotAnError() {
    UserMetadata m = UserMetadata.of(U, 1, 11, List.of(e("a", "1", 1)));
    MetadataPage page = m.list(new ListQuery(5, 0, false), List.of());
    assertThat(page.totalResult()).isEqualTo(1);
    assertThat(page.result()).isEmpty();
  }

  @Test
  void apply_setsAndRemovesInOrder() {
    UserMetadata m = UserMetadata.of(U, 2, 12, List.of(e("a", "1", 1), e("b", "2", 2)));
    CommittedWrite w =
        new CommittedWrite(
            U, 4, 20, List.of(new KeyChange("a", null), new KeyChange("c", e("c", "3", 4))));
    UserMetadata after = m.apply(w);
    assertThat(after.sequence()).isEqualTo(4);
    assertThat(after.lastChangeMicros()).isEqualTo(20);
    assertThat(after.get("a")).isNull();
    assertThat(after.get("c").sequence()).isEqualTo(4);
    assertThat(after.weight()).isGreaterThan(0);
  }

  @Test
  void apply_setOfAHeldKey_keepsItsCreationTime_aNewKeyTakesTheWritesOne() {
    UserMetadata m = UserMetadata.of(U, 1, 11, List.of(e("a", "1", 1)));
    MetadataEntry a = new MetadataEntry("a", new byte[] {2}, 2, 30, 30);
    MetadataEntry b = new MetadataEntry("b", new byte[] {3}, 3, 30, 30);
    UserMetadata after =
        m.apply(
            new CommittedWrite(U, 3, 30, List.of(new KeyChange("a", a), new KeyChange("b", b))));
    assertThat(after.get("a").creationMicros()).isEqualTo(10);
    assertThat(after.get("a").changeMicros()).isEqualTo(30);
    assertThat(after.get("a").value()).containsExactly(2);
    assertThat(after.get("b").creationMicros()).isEqualTo(30);
  }

  @Test
  void apply_ignoresAWriteTheSnapshotAlreadyHolds() {
    UserMetadata m = UserMetadata.of(U, 5, 15, List.of(e("a", "new", 5)));
    CommittedWrite older =
        new CommittedWrite(U, 4, 14, List.of(new KeyChange("a", e("a", "old", 4))));
    assertThat(m.apply(older)).isSameAs(m);
  }

  @Test
  void textQueryMethods_matchAsZitadelDescribes() {
    assertThat(TextQueryMethod.EQUALS.matches("Key", "Key")).isTrue();
    assertThat(TextQueryMethod.EQUALS.matches("Key", "key")).isFalse();
    assertThat(TextQueryMethod.EQUALS_IGNORE_CASE.matches("Key", "kEY")).isTrue();
    assertThat(TextQueryMethod.CONTAINS.matches("abcdef", "cd")).isTrue();
    assertThat(TextQueryMethod.CONTAINS_IGNORE_CASE.matches("abCDef", "cd")).isTrue();
    assertThat(TextQueryMethod.ENDS_WITH_IGNORE_CASE.matches("file.JSON", ".json")).isTrue();
    assertThat(TextQueryMethod.ofNumber(7)).isEqualTo(TextQueryMethod.ENDS_WITH_IGNORE_CASE);
    assertThat(TextQueryMethod.ofNumber(8)).isNull();
    assertThat(TextQueryMethod.ofNumber(-1)).isNull();
  }
}
