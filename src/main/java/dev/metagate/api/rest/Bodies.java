package dev.metagate.api.rest;

import com.fasterxml.jackson.core.JsonParser;
import dev.metagate.metadata.KeyQuery;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.ListQuery;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.TextQueryMethod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Parses request bodies the way ZITADEL's JSON gateway does: lowerCamelCase or snake_case field
 * names, unknown fields ignored, JSON null as "not set", int64 as string or number, bytes as
 * standard or URL-safe base64 with or without padding, enums by name or number.
 */
final class Bodies {
  private static final String METHOD_PREFIX = "TEXT_QUERY_METHOD_";

  private Bodies() {}

  /** The body as a JSON object; an empty body is an empty message. */
  static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0 || isBlank(body)) {
      return new JsonObject();
    }
    Object parsed = strictJson(body);
    if (!(parsed instanceof JsonObject o)) {
      throw MetagateException.invalidArgument("request body must be a JSON object");
    }
    return o;
  }

  /**
   * Parses {@code body} as strict JSON, as ZITADEL's gateway (protojson) does. Vert.x's shared
   * parser accepts comments and keeps the last of two equal names; protojson refuses both, so a
   * body ZITADEL rejects must not be stored here.
   */
  private static Object strictJson(Buffer body) {
    if (notUtf8(body)) {
      throw MetagateException.invalidArgument("request body is not valid JSON");
    }
    JsonParser parser = JacksonCodec.createParser(body);
    parser.disable(JsonParser.Feature.ALLOW_COMMENTS);
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw MetagateException.invalidArgument("request body is not valid JSON");
    }
  }

  /**
   * True when {@code body} starts with a byte order mark or is UTF-16/32 (a NUL among its first
   * bytes): Jackson detects and reads those, Go's decoder (so ZITADEL) reads only plain UTF-8. A
   * UTF-8 JSON text never starts with a byte above 0x7F nor holds a raw NUL, so nothing valid is
   * refused.
   */
  static boolean notUtf8(Buffer body) {
    if ((body.getByte(0) & 0x80) != 0) {
      return true;
    }
    for (int i = 0; i < Math.min(4, body.length()); i++) {
      if (body.getByte(i) == 0) {
        return true;
      }
    }
    return false;
  }

  static List<KeyValue> bulkSetEntries(JsonObject body) {
    JsonArray list = array(body, "metadata", "metadata");
    List<KeyValue> out = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject entry)) {
        throw MetagateException.invalidArgument("metadata: each entry must be a JSON object");
      }
      out.add(new KeyValue(string(entry, "key", "key"), bytes(entry, "value")));
    }
    return out;
  }

  static byte[] value(JsonObject body) {
    return bytes(body, "value");
  }

  static List<String> keys(JsonObject body) {
    JsonArray list = array(body, "keys", "keys");
    List<String> out = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw MetagateException.invalidArgument("keys: each key must be a string");
      }
      out.add(s);
    }
    return out;
  }

  static ListQuery listQuery(JsonObject body) {
    JsonObject q = object(body, "query", "query");
    return new ListQuery(
        unsigned(q, "offset", "offset", Long.MAX_VALUE),
        unsigned(q, "limit", "limit", 0xFFFF_FFFFL),
        bool(q, "asc"));
  }

  static List<KeyQuery> keyQueries(JsonObject body) {
    JsonArray list = array(body, "queries", "queries");
    List<KeyQuery> out = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject query)) {
        throw MetagateException.invalidArgument("queries: each query must be a JSON object");
      }
      JsonObject kq = object(query, "keyQuery", "key_query");
      if (kq.isEmpty() && !hasField(query, "keyQuery", "key_query")) {
        // a query without a known kind matches everything, as an unset oneof does
        continue;
      }
      out.add(new KeyQuery(string(kq, "key", "key"), method(field(kq, "method", "method"))));
    }
    return out;
  }

  private static TextQueryMethod method(Object raw) {
    if (raw == null) {
      return TextQueryMethod.EQUALS;
    }
    TextQueryMethod m = null;
    if (raw instanceof String s) {
      if (s.startsWith(METHOD_PREFIX)) {
        m = byName(s.substring(METHOD_PREFIX.length()));
      }
    } else if (raw instanceof Number n && n.doubleValue() == n.longValue()) {
      m = TextQueryMethod.ofNumber(n.longValue());
    }
    if (m == null) {
      throw MetagateException.invalidArgument(
          "invalid value for enum field method: not a zitadel.v1.TextQueryMethod");
    }
    return m;
  }

  /** The method named {@code name} without its enum prefix, or null. */
  static TextQueryMethod byName(String name) {
    for (TextQueryMethod m : TextQueryMethod.values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The field named {@code camel} or {@code snake}. Both spellings name one proto field, so giving
   * both is a duplicate field, which protojson rejects.
   */
  static Object field(JsonObject o, String camel, String snake) {
    if (!camel.equals(snake) && o.containsKey(camel) && o.containsKey(snake)) {
      throw MetagateException.invalidArgument("duplicate field " + camel);
    }
    Object v = o.getValue(camel);
    return v != null ? v : o.getValue(snake);
  }

  private static boolean hasField(JsonObject o, String camel, String snake) {
    return o.getValue(camel) != null || o.getValue(snake) != null;
  }

  static String string(JsonObject o, String camel, String snake) {
    Object v = field(o, camel, snake);
    if (v == null) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw MetagateException.invalidArgument("invalid value for string field " + camel);
    }
    return s;
  }

  static JsonObject object(JsonObject o, String camel, String snake) {
    Object v = field(o, camel, snake);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject child)) {
      throw MetagateException.invalidArgument("invalid value for message field " + camel);
    }
    return child;
  }

  static JsonArray array(JsonObject o, String camel, String snake) {
    Object v = field(o, camel, snake);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw MetagateException.invalidArgument("invalid value for list field " + camel);
    }
    return a;
  }

  static boolean bool(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw MetagateException.invalidArgument("invalid value for bool field " + name);
    }
    return b;
  }

  /** An unsigned integer given as a JSON number or a decimal string, at most {@code max}. */
  static long unsigned(JsonObject o, String camel, String snake, long max) {
    Object v = field(o, camel, snake);
    if (v == null) {
      return 0;
    }
    long n;
    if (v instanceof Number num && !(v instanceof Double || v instanceof Float)) {
      n = num.longValue();
      if (v instanceof java.math.BigInteger) {
        n = -1;
      }
    } else if (v instanceof Double d && d == Math.rint(d) && d >= 0 && d <= max) {
      n = d.longValue();
    } else if (v instanceof String s && s.matches("\\d{1,19}")) {
      try {
        n = Long.parseLong(s);
      } catch (NumberFormatException e) {
        n = -1;
      }
    } else {
      n = -1;
    }
    if (n < 0 || n > max) {
      throw MetagateException.invalidArgument("invalid value for integer field " + camel);
    }
    return n;
  }

  /** Base64 in any of its common forms: standard or URL-safe alphabet, padded or not. */
  static byte[] bytes(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v == null) {
      return new byte[0];
    }
    if (!(v instanceof String s)) {
      throw MetagateException.invalidArgument("invalid value for bytes field " + name);
    }
    return decodeBase64(s, name);
  }

  static byte[] decodeBase64(String s, String name) {
    boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    try {
      return urlSafe ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw MetagateException.invalidArgument(
          "invalid value for bytes field " + name + ": not valid base64");
    }
  }

  private static boolean isBlank(Buffer body) {
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
