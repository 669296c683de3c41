package dev.metagate.metadata;

import java.util.List;

/**
 * One page of a user's metadata: the matches before paging, the user's current sequence and latest
 * change time, and the entries on this page, ordered by key.
 */
public record MetadataPage(
    long totalResult, long processedSequence, long viewMicros, List<MetadataEntry> result) {
  public MetadataPage {
    result = List.copyOf(result);
  }
}
