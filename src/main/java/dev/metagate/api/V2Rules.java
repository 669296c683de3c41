package dev.metagate.api;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.TextQueryMethod;
import dev.metagate.metadata.Validation;
import java.util.ArrayList;
import java.util.List;

/**
 * The field rules of the v2 User service's metadata requests, checked after authentication and
 * named as ZITADEL's request validation names them ({@code SetUserMetadataRequest.UserId}, {@code
 * MetadataKeyFilter.Key}), so an error reads as ZITADEL's own. REST and gRPC both run them, so both
 * answer with the same message. The service checks the same limits again under the v1 names; these
 * run first.
 */
public final class V2Rules {
  private V2Rules() {}

  /** A {@code MetadataSearchFilter}: {@code keyFilter} is null when the oneof is not set. */
  public record Filter(KeyFilter keyFilter) {}

  /** A {@code MetadataKeyFilter}; {@code method} is the enum number, defined or not. */
  public record KeyFilter(String key, int method) {}

  public static void set(String userId, List<KeyValue> entries) {
    Validation.userId("SetUserMetadataRequest", "UserId", userId);
    Validation.bulkEntries("SetUserMetadataRequest", "Metadata", entries);
  }

  public static void delete(String userId, List<String> keys) {
    Validation.userId("DeleteUserMetadataRequest", "UserId", userId);
    Validation.keys("DeleteUserMetadataRequest", keys);
  }

  /**
   * Checks a list request and returns its filters as key queries. Request validation (user id,
   * filters) comes before the handler's paging check, as in ZITADEL.
   */
  public static List<KeyQuery> list(String userId, ListQuery page, List<Filter> filters) {
    Validation.userId("ListUserMetadataRequest", "UserId", userId);
    List<KeyQuery> queries = new ArrayList<>(filters.size());
    for (int i = 0; i < filters.size(); i++) {
      queries.add(keyQuery(i, filters.get(i)));
    }
    if (page.limit() > ListQuery.MAX_LIMIT) {
      throw MetagateException.withId(Code.INVALID_ARGUMENT, "QUERY-4M0fs", "Limit exceeded");
    }
    return queries;
  }

  private static KeyQuery keyQuery(int index, Filter filter) {
    String outer = "invalid ListUserMetadataRequest.Filters[" + index + "]: ";
    String embedded = "embedded message failed validation | caused by: ";
    KeyFilter kf = filter.keyFilter();
    if (kf == null) {
      throw MetagateException.invalidArgument(
          outer + embedded + "invalid MetadataSearchFilter.Filter: value is required");
    }
    String inner = outer + embedded + "invalid MetadataSearchFilter.KeyFilter: " + embedded;
    if (kf.key().codePointCount(0, kf.key().length()) > Validation.MAX_KEY_CHARS) {
      throw MetagateException.invalidArgument(
          inner
              + "invalid MetadataKeyFilter.Key: value length must be at most "
              + Validation.MAX_KEY_CHARS
              + " runes");
    }
    TextQueryMethod method = TextQueryMethod.ofNumber(kf.method());
    if (method == null) {
      throw MetagateException.invalidArgument(
          inner + "invalid MetadataKeyFilter.Method: value must be one of the defined enum values");
    }
    return new KeyQuery(kf.key(), method);
  }
}
