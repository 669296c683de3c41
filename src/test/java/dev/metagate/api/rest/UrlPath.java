package dev.metagate.api.rest;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of a path segment, as a careful client writes it. */
final class UrlPath {
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private UrlPath() {}

  /** {@code segment} with every byte outside the unreserved set written as {@code %XX}. */
  static String encode(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0 && UNRESERVED.indexOf(b) >= 0) {
        sb.append((char) b);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return sb.toString();
  }
}
