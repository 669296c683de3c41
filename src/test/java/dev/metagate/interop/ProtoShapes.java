package dev.metagate.interop;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire shape of protobuf types, in the form {@code src/test/interop/proto-fields.mjs} prints
 * for ZITADEL's published descriptors: per full type name, a message's fields ({@code "user_id": "1
 * string"}, {@code "metadata": "2 zitadel.user.v2.Metadata repeated"}, {@code "key_query": "1
 * zitadel.metadata.v1.MetadataKeyQuery oneof query"}), an enum's values ({@code "..._EQUALS": "0"})
 * or a service's methods ({@code "GetUserMetadata": "<input> -> <output>"}).
 */
final class ProtoShapes {
  /** Every file of metagate's trimmed ZITADEL protos. */
  static final List<FileDescriptor> OURS =
      List.of(
          com.zitadel.v1.ObjectProto.getDescriptor(),
          com.zitadel.v1.MessageProto.getDescriptor(),
          com.zitadel.metadata.v1.MetadataProto.getDescriptor(),
          com.zitadel.management.v1.ManagementProto.getDescriptor(),
          com.zitadel.filter.v2.FilterProto.getDescriptor(),
          com.zitadel.metadata.v2.MetadataProto.getDescriptor(),
          com.zitadel.user.v2.UserServiceProto.getDescriptor());

  private ProtoShapes() {}

  /** The shapes of every message (nested ones too), enum and service of {@code files}. */
  static Map<String, Map<String, String>> of(List<FileDescriptor> files) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (FileDescriptor file : files) {
      file.getEnumTypes().forEach(e -> out.put(e.getFullName(), shape(e)));
      file.getMessageTypes().forEach(m -> addMessage(out, m));
      for (ServiceDescriptor s : file.getServices()) {
        Map<String, String> methods = new LinkedHashMap<>();
        for (MethodDescriptor m : s.getMethods()) {
          methods.put(
              m.getName(),
              m.getInputType().getFullName() + " -> " + m.getOutputType().getFullName());
        }
        out.put(s.getFullName(), methods);
      }
    }
    return out;
  }

  private static void addMessage(Map<String, Map<String, String>> out, Descriptor message) {
    Map<String, String> fields = new LinkedHashMap<>();
    message.getFields().forEach(f -> fields.put(f.getName(), shape(f)));
    out.put(message.getFullName(), fields);
    message.getEnumTypes().forEach(e -> out.put(e.getFullName(), shape(e)));
    message.getNestedTypes().forEach(n -> addMessage(out, n));
  }

  private static String shape(FieldDescriptor f) {
    String type =
        switch (f.getType()) {
          case MESSAGE, GROUP -> f.getMessageType().getFullName();
          case ENUM -> f.getEnumType().getFullName();
          default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    StringBuilder s = new StringBuilder().append(f.getNumber()).append(' ').append(type);
    if (f.isRepeated()) {
      s.append(" repeated");
    }
    if (f.getRealContainingOneof() != null) {
      s.append(" oneof ").append(f.getRealContainingOneof().getName());
    }
    return s.toString();
  }

  private static Map<String, String> shape(EnumDescriptor e) {
    Map<String, String> values = new LinkedHashMap<>();
    e.getValues().forEach(v -> values.put(v.getName(), Integer.toString(v.getNumber())));
    return values;
  }

  /** The JSON object proto-fields.mjs prints, as shapes. */
  static Map<String, Map<String, String>> parse(String json) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    JsonObject all = new JsonObject(json);
    for (String type : all.fieldNames()) {
      Map<String, String> entries = new LinkedHashMap<>();
      all.getJsonObject(type).forEach(e -> entries.put(e.getKey(), (String) e.getValue()));
      out.put(type, entries);
    }
    return out;
  }

  /**
   * How {@code ours} breaks from {@code theirs}, one line per difference; empty when every type of
   * ours exists in theirs and each of its fields, values and methods has the same shape there (a
   * subset: theirs may have more). A field that moved to another number, changed type, became
   * repeated or left its oneof is a difference; so is a name theirs does not have.
   */
  static List<String> differences(
      Map<String, Map<String, String>> ours, Map<String, Map<String, String>> theirs) {
    List<String> out = new ArrayList<>();
    ours.forEach(
        (type, entries) -> {
          Map<String, String> published = theirs.get(type);
          if (published == null) {
            out.add(type + ": not in @zitadel/proto");
            return;
          }
          entries.forEach(
              (name, shape) -> {
                String their = published.get(name);
                if (their == null) {
                  out.add(type + "." + name + ": ours '" + shape + "', theirs has no " + name);
                } else if (!their.equals(shape)) {
                  out.add(type + "." + name + ": ours '" + shape + "', theirs '" + their + "'");
                }
              });
        });
    return out;
  }
}
