package dev.metagate.metadata;

import java.util.Locale;

/** ZITADEL's {@code zitadel.v1.TextQueryMethod}: how a key query compares keys. */
public enum TextQueryMethod {
  EQUALS,
  EQUALS_IGNORE_CASE,
  STARTS_WITH,
  STARTS_WITH_IGNORE_CASE,
  CONTAINS,
  CONTAINS_IGNORE_CASE,
  ENDS_WITH,
  ENDS_WITH_IGNORE_CASE;

  /** The wire number of this method, as in the proto enum. */
  public int number() {
    return ordinal();
  }

  /** The method with this wire number, or null when there is none. */
  public static TextQueryMethod ofNumber(long number) {
    TextQueryMethod[] all = values();
    return number >= 0 && number < all.length ? all[(int) number] : null;
  }

  public boolean matches(String candidate, String query) {
    return switch (this) {
      case EQUALS -> candidate.equals(query);
      case EQUALS_IGNORE_CASE -> lower(candidate).equals(lower(query));
      case STARTS_WITH -> candidate.startsWith(query);
      case STARTS_WITH_IGNORE_CASE -> lower(candidate).startsWith(lower(query));
      case CONTAINS -> candidate.contains(query);
      case CONTAINS_IGNORE_CASE -> lower(candidate).contains(lower(query));
      case ENDS_WITH -> candidate.endsWith(query);
      case ENDS_WITH_IGNORE_CASE -> lower(candidate).endsWith(lower(query));
    };
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
