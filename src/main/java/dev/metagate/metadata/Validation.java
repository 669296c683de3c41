package dev.metagate.metadata;

import java.util.List;

/**
 * The field rules of ZITADEL's request messages, with messages in the form its request validation
 * produces ({@code invalid Message.Field: ...}), so a client cannot tell the two apart.
 */
public final class Validation {
  public static final int MAX_KEY_CHARS = 200;
  public static final int MAX_USER_ID_CHARS = 200;
  public static final int MAX_VALUE_BYTES = 500_000;

  private Validation() {}

  /** Checks a user id path/field of request message {@code message} (field {@code Id}). */
  public static void userId(String message, String field, String userId) {
    runes(message + "." + field, userId, 1, MAX_USER_ID_CHARS);
  }

  /** Checks a key; {@code fieldPath} names it as in {@code SetUserMetadataRequest.Key}. */
  public static void key(String fieldPath, String key) {
    runes(fieldPath, key, 1, MAX_KEY_CHARS);
  }

  /**
   * Checks a decoded value; {@code fieldPath} names it as in {@code SetUserMetadataRequest.Value}.
   */
  public static void value(String fieldPath, byte[] value) {
    if (value.length < 1 || value.length > MAX_VALUE_BYTES) {
      throw invalid(
          fieldPath, "value length must be between 1 and " + MAX_VALUE_BYTES + " bytes, inclusive");
    }
  }

  /** Checks the entries of a bulk set: each entry's field rules, then the business rules. */
  public static void bulkEntries(String message, List<KeyValue> entries) {
    bulkEntries(message, message + "_Metadata", entries);
  }

  /**
   * {@link #bulkEntries(String, List)} for a request whose entry message is named {@code
   * entryMessage} (the v2 User service's {@code Metadata}, the Management API's {@code
   * BulkSetUserMetadataRequest_Metadata}).
   */
  public static void bulkEntries(String message, String entryMessage, List<KeyValue> entries) {
    for (int i = 0; i < entries.size(); i++) {
      KeyValue kv = entries.get(i);
      String embedded = entryMessage;
      try {
        key(embedded + ".Key", kv.key());
        value(embedded + ".Value", kv.value());
      } catch (MetagateException e) {
        throw MetagateException.invalidArgument(
            "invalid "
                + message
                + ".Metadata["
                + i
                + "]: embedded message failed validation | caused by: "
                + e.text());
      }
    }
    if (entries.isEmpty()) {
      throw Errors.emptyBulk();
    }
    for (KeyValue kv : entries) {
      storable(kv.key());
    }
  }

  /** Checks a list of keys to remove. */
  public static void keys(String message, List<String> keys) {
    if (keys.isEmpty()) {
      throw Errors.emptyBulk();
    }
    for (int i = 0; i < keys.size(); i++) {
      key(message + ".Keys[" + i + "]", keys.get(i));
    }
  }

  /** Checks paging: a limit above {@link ListQuery#MAX_LIMIT} is refused, not clamped. */
  public static void listQuery(ListQuery query) {
    if (query.limit() > ListQuery.MAX_LIMIT) {
      throw MetagateException.invalidArgument(
          "invalid ListQuery.Limit: value must be less than or equal to " + ListQuery.MAX_LIMIT);
    }
  }

  /** Checks a key query's text. */
  public static void keyQuery(String fieldPath, KeyQuery query) {
    if (query.key().codePointCount(0, query.key().length()) > MAX_KEY_CHARS) {
      throw invalid(fieldPath, "value length must be at most " + MAX_KEY_CHARS + " runes");
    }
  }

  /**
   * The business rule checked after parsing: a key must be text a database can hold, so no NUL
   * character and no unpaired UTF-16 surrogate (ZITADEL's database would reject such a key with an
   * internal error; metagate answers META-2m00f instead).
   */
  public static void storable(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == 0) {
        throw Errors.invalidEntry();
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          throw Errors.invalidEntry();
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw Errors.invalidEntry();
      }
    }
  }

  private static void runes(String fieldPath, String s, int min, int max) {
    int n = s.codePointCount(0, s.length());
    if (n < min || n > max) {
      throw invalid(
          fieldPath, "value length must be between " + min + " and " + max + " runes, inclusive");
    }
  }

  private static MetagateException invalid(String fieldPath, String rule) {
    return MetagateException.invalidArgument("invalid " + fieldPath + ": " + rule);
  }
}
