package dev.metagate.metadata;

import java.util.List;

/**
 * What one committed write did to a user: the key changes in the order they happened and the user's
 * sequence and latest change time afterwards. Empty {@code changes} means nothing changed.
 */
public record CommittedWrite(
    UserRef user, long sequence, long changeMicros, List<KeyChange> changes) {
  public CommittedWrite {
    changes = List.copyOf(changes);
  }
}
