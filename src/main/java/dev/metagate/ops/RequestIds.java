package dev.metagate.ops;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives every request an id: the caller's {@code x-request-id} when it is short and printable,
 * otherwise a new one; echoed in the response and kept in the routing context.
 */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String HEADER = "x-request-id";
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  public static final String CONTEXT_KEY = "requestId";
  private static final int MAX_CHARS = 128;

  private final String prefix =
      Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL) + "-";
  private final AtomicLong counter = new AtomicLong();

  @Override
  public void handle(RoutingContext ctx) {
    String id = echo(ctx.request(), ctx.response());
    ctx.put(CONTEXT_KEY, id);
    ctx.next();
  }

  /** Puts the request's id (the caller's, or a new one) on {@code response} and returns it. */
  public String echo(HttpServerRequest request, HttpServerResponse response) {
    String id = idFor(request.getHeader(HEADER_NAME));
    response.putHeader(HEADER_NAME, id);
    return id;
  }

  /** The caller's id ({@code header}, may be null) when short and printable, else a new one. */
  public String idFor(String header) {
    if (header == null || header.isEmpty() || header.length() > MAX_CHARS || !printable(header)) {
      return prefix + Long.toHexString(counter.incrementAndGet());
    }
    return header;
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
