package dev.metagate.metadata;

import java.util.List;

/** A validated write for one user, applied atomically and in order by the store. */
public sealed interface WriteCommand {
  /** How many entries this command adds to the write queue. */
  int entryCount();

  /** Sets each key to its value in order; a key given twice ends with the later value. */
  record SetKeys(List<KeyValue> entries) implements WriteCommand {
    public SetKeys {
      entries = List.copyOf(entries);
    }

    @Override
    public int entryCount() {
      return entries.size();
    }
  }

  /**
   * Removes the keys, all or none: if any key does not exist nothing is removed and the error is
   * {@link Errors#bulkRemoveNotFound()} for a bulk request, {@link Errors#removeNotFound()}
   * otherwise.
   */
  record RemoveKeys(List<String> keys, boolean bulk) implements WriteCommand {
    public RemoveKeys {
      keys = List.copyOf(keys);
    }

    @Override
    public int entryCount() {
      return keys.size();
    }
  }
}
