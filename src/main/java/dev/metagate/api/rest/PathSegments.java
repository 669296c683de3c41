package dev.metagate.api.rest;

import dev.metagate.metadata.MetagateException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw request path into percent-decoded segments, so that an encoded slash stays inside
 * its segment ({@code a%2Fb} is the key {@code a/b}) and {@code +} stays a plus.
 */
final class PathSegments {
  private PathSegments() {}

  /** The decoded segments after {@code prefix}, or null when the path does not start with it. */
  static List<String> after(String rawPath, String prefix) {
    if (!rawPath.startsWith(prefix)) {
      return null;
    }
    String rest = rawPath.substring(prefix.length());
    List<String> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int slash = rest.indexOf('/', start);
      String seg = slash < 0 ? rest.substring(start) : rest.substring(start, slash);
      out.add(decode(seg));
      if (slash < 0) {
        return out;
      }
      start = slash + 1;
    }
  }

  static String decode(String segment) {
    if (isPlainAscii(segment)) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          throw badEncoding();
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw badEncoding();
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c <= 0xFF) {
        // the server hands over raw request-target bytes as ISO-8859-1 chars: a client that sent
        // UTF-8 unencoded (as Go's server, and so ZITADEL, accepts) means that UTF-8
        bytes.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw badEncoding();
    }
  }

  private static boolean isPlainAscii(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' || c > 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static MetagateException badEncoding() {
    return MetagateException.invalidArgument("path is not valid percent-encoded UTF-8");
  }
}
