package dev.metagate.api.rest;

import dev.metagate.api.V2Rules;
import dev.metagate.api.V2Rules.Filter;
import dev.metagate.api.V2Rules.KeyFilter;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.TextQueryMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the request bodies and query of the v2 User service's metadata methods, with the same JSON
 * rules as {@link Bodies}. Only what protojson itself refuses fails here; field rules are checked
 * after authentication by {@link V2Rules}.
 */
final class V2Bodies {
  static final String METHOD_PREFIX = "TEXT_FILTER_METHOD_";
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  private V2Bodies() {}

  /** {@code pagination}: offset, limit and direction; ordered by creation date as ZITADEL does. */
  static ListQuery pagination(JsonObject body) {
    JsonObject p = Bodies.object(body, "pagination", "pagination");
    return new ListQuery(
        Bodies.unsigned(p, "offset", "offset", Long.MAX_VALUE),
        Bodies.unsigned(p, "limit", "limit", UINT32_MAX),
        Bodies.bool(p, "asc"),
        ListQuery.Order.CREATION_DATE);
  }

  static List<Filter> filters(JsonObject body) {
    JsonArray list = Bodies.array(body, "filters", "filters");
    List<Filter> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof JsonObject filter)) {
        throw MetagateException.invalidArgument("filters: each filter must be a JSON object");
      }
      if (Bodies.field(filter, "keyFilter", "key_filter") == null) {
        out.add(new Filter(null));
        continue;
      }
      JsonObject kf = Bodies.object(filter, "keyFilter", "key_filter");
      out.add(
          new Filter(
              new KeyFilter(
                  Bodies.string(kf, "key", "key"), method(Bodies.field(kf, "method", "method")))));
    }
    return out;
  }

  /**
   * The enum by name or number. Like protojson, any int32 number parses (an open enum); whether it
   * names a method is a validation rule, checked later.
   */
  private static int method(Object raw) {
    if (raw == null) {
      return 0;
    }
    if (raw instanceof String s && s.startsWith(METHOD_PREFIX)) {
      TextQueryMethod m = Bodies.byName(s.substring(METHOD_PREFIX.length()));
      if (m != null) {
        return m.number();
      }
    } else if (raw instanceof Number n
        && n.doubleValue() == n.longValue()
        && n.longValue() >= Integer.MIN_VALUE
        && n.longValue() <= Integer.MAX_VALUE) {
      return (int) n.longValue();
    }
    throw MetagateException.invalidArgument(
        "invalid value for enum field method: not a zitadel.filter.v2.TextFilterMethod");
  }

  /**
   * Every value of {@code name} in a raw query string, decoded as Go's {@code url.ParseQuery} does
   * ({@code +} is a space, {@code %XX} must be valid, the result must be UTF-8).
   */
  static List<String> queryValues(String rawQuery, String name) {
    List<String> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      if (k.equals(name)) {
        out.add(eq < 0 ? "" : decodeQuery(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decodeQuery(String s) {
    return PathSegments.decode(s.replace('+', ' '));
  }
}
