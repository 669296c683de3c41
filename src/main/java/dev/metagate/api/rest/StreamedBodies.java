package dev.metagate.api.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.metagate.metadata.KeyValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The usual write bodies read in one pass, without building a JSON tree: a bulk set's {@code
 * metadata} list and a set's {@code value}. Building the tree (maps, wrappers, field look-ups) cost
 * a fifth of an event loop's Java time per 10-key bulk set. Only the plain shape is read here:
 * strict JSON (same parser factory and features as {@link Bodies}), the wanted fields given once as
 * strings, nothing after the object. Anything else answers null, and the caller takes the general
 * path of {@link Bodies}, so every error and every odd but valid body is answered exactly as
 * before.
 */
final class StreamedBodies {
  private StreamedBodies() {}

  /** A bulk set's entries, their values decoded; null when the general path must read it. */
  static List<KeyValue> bulkSetEntries(Buffer body) {
    List<String> raw = read(body, "metadata");
    if (raw == null) {
      return null;
    }
    List<KeyValue> out = new ArrayList<>(raw.size() / 2);
    for (int i = 0; i < raw.size(); i += 2) {
      // decoded in entry order, so the first bad value fails as the general path's would
      out.add(new KeyValue(raw.get(i), Bodies.decodeBase64(raw.get(i + 1), "value")));
    }
    return out;
  }

  /** A set's decoded value; null when the general path must read it. */
  static byte[] value(Buffer body) {
    List<String> raw = read(body, "value");
    return raw == null ? null : Bodies.decodeBase64(raw.get(0), "value");
  }

  /**
   * For {@code "metadata"}: each entry's key and value, alternating; for {@code "value"}: that
   * string alone. Null unless the body is the plain shape.
   */
  private static List<String> read(Buffer body, String field) {
    if (body == null || body.length() == 0 || Bodies.notUtf8(body)) {
      return null;
    }
    JsonParser p = JacksonCodec.createParser(body);
    p.disable(JsonParser.Feature.ALLOW_COMMENTS);
    p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try (p) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      List<String> found = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = p.currentName().equals(field);
        JsonToken t = p.nextToken();
        if (!wanted) {
          p.skipChildren();
        } else if (t == JsonToken.VALUE_STRING && field.equals("value")) {
          found = List.of(p.getText());
        } else if (t == JsonToken.START_ARRAY && field.equals("metadata")) {
          found = entries(p);
          if (found == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      boolean closed = p.currentToken() == JsonToken.END_OBJECT;
      return closed && p.nextToken() == null ? found : null;
    } catch (IOException e) {
      return null; // not valid strict JSON: the general path names the error
    }
  }

  /** Key and value of each entry of the array the parser is at; null unless all are plain. */
  private static List<String> entries(JsonParser p) throws IOException {
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        return null;
      }
      String key = null;
      String value = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("key") || name.equals("value")) {
          if (v != JsonToken.VALUE_STRING) {
            return null;
          }
          if (name.equals("key")) {
            key = p.getText();
          } else {
            value = p.getText();
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || key == null || value == null) {
        return null;
      }
      out.add(key);
      out.add(value);
    }
    return out;
  }
}
