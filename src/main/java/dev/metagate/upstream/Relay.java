package dev.metagate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the REST and the gRPC pass-through share: which headers cross the proxy, and streaming an
 * answer back to the caller with back-pressure and its trailers.
 */
final class Relay {
  static final String REQUEST_ID = "x-request-id";

  /**
   * Headers that belong to one connection, never to the exchange (RFC 9110 §7.6.1, RFC 9113
   * §8.2.2), plus those the client sets itself (host), plus the request id: the caller gets
   * metagate's, ZITADEL's echo of it would be a second copy.
   */
  private static final Set<String> NOT_FORWARDED = caseless();

  static {
    NOT_FORWARDED.addAll(
        Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "transfer-encoding",
            "upgrade",
            "trailer",
            "host",
            "http2-settings",
            REQUEST_ID));
  }

  private Relay() {}

  private static Set<String> caseless() {
    return new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  }

  /** Header names, matched in any case: for {@link #copyHeaders}'s {@code alsoDropped}. */
  static Set<String> names(String... names) {
    Set<String> s = caseless();
    s.addAll(Set.of(names));
    return s;
  }

  /**
   * Copies {@code from}'s end-to-end headers into {@code to}: not the hop-by-hop ones, not those
   * the Connection header names, not pseudo-headers, none of {@code alsoDropped} ({@link #names}).
   */
  static MultiMap copyHeaders(MultiMap from, MultiMap to, Set<String> alsoDropped) {
    return copyHeaders(from, to, alsoDropped, false);
  }

  /** As above; with {@code lowerCase}, names go lower-cased, as HTTP/2 requires. */
  static MultiMap copyHeaders(
      MultiMap from, MultiMap to, Set<String> alsoDropped, boolean lowerCase) {
    Set<String> named = connectionNamed(from.get("connection"));
    for (var e : from) {
      String name = e.getKey();
      if (name.isEmpty()
          || name.charAt(0) == ':'
          || NOT_FORWARDED.contains(name)
          || alsoDropped.contains(name)
          || (named != null && named.contains(name))) {
        continue;
      }
      to.add(lowerCase ? lower(name) : name, e.getValue());
    }
    return to;
  }

  /** The header names a Connection header lists (besides the usual close/keep-alive), or null. */
  private static Set<String> connectionNamed(String connection) {
    if (connection == null) {
      return null;
    }
    Set<String> names = null;
    for (String token : connection.split(",")) {
      String t = token.trim();
      if (!t.isEmpty() && !t.equalsIgnoreCase("close") && !t.equalsIgnoreCase("keep-alive")) {
        if (names == null) {
          names = caseless();
        }
        names.add(t);
      }
    }
    return names;
  }

  private static String lower(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.isUpperCase(name.charAt(i))) {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  /**
   * Streams {@code from}'s body to {@code to}, pausing ZITADEL's side while the caller's write
   * queue is full, then its trailers, then ends the answer and runs {@code ended}. If ZITADEL's
   * side fails midway the caller's stream is reset: a truncated answer must not look complete.
   */
  static void stream(HttpClientResponse from, HttpServerResponse to, Runnable ended) {
    from.handler(
        chunk -> {
          to.write(chunk);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        });
    from.exceptionHandler(t -> to.reset());
    from.endHandler(
        v -> {
          copyHeaders(from.trailers(), to.trailers(), Set.of());
          ended.run();
          to.end();
        });
  }
}
