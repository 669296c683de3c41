package dev.metagate.upstream;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The reverse proxy for every REST request metagate does not answer itself. Method, URI, headers,
 * body, status, answer and trailers cross unchanged, except that the request is addressed to
 * ZITADEL (its host name picks the ZITADEL instance) under the upstream base path, carries
 * metagate's request id, and loses the headers that belong to one connection ({@link Relay}).
 * Bodies are streamed both ways with back-pressure; an answer that announces a small length is read
 * whole and written in one go, which saves the caller's connection a flush per request.
 *
 * <p>Connecting, and every wait for ZITADEL (its answer, a pause in a streamed body), is bounded by
 * {@code upstream.timeout}. When no answer comes, the caller gets metagate's own error in ZITADEL's
 * shape: 504 code 4 after the timeout, 503 code 14 when ZITADEL cannot be reached. An answer that
 * fails after its head was sent resets the caller's stream. A caller that goes away cancels its
 * upstream request ({@link #handle} returns the cancel).
 *
 * <p>Each request goes over a connection of its own event loop ({@link LoopClients}). This replaced
 * vertx-http-proxy, whose per-request machinery (interceptor chain, proxy request and response
 * objects, body wrappers) cost about as much CPU as the rest of the exchange.
 */
final class PassThrough {
  static final String OPERATION = "passthrough";

  /** Answers up to this length are aggregated and written with one flush. */
  private static final long WHOLE_ANSWER_BYTES = 64 * 1024;

  /** Per-hop request headers besides the common ones: 100-continue is answered here. */
  private static final Set<String> REQUEST_HOP = Relay.names("te", "expect");

  private final LoopClients clients;
  private final UpstreamListener listener;
  private final long timeoutMs;
  private final String basePath;

  PassThrough(LoopClients clients, UpstreamOptions options, UpstreamListener listener) {
    this.clients = clients;
    this.listener = listener;
    this.timeoutMs = Math.max(1, options.timeout().toMillis());
    this.basePath = options.basePath();
  }

  /** Streams {@code request} to ZITADEL; the returned action cancels it if the caller goes. */
  Runnable handle(HttpServerRequest request) {
    boolean body = hasBody(request);
    if (body) {
      request.pause(); // until the upstream request can take it
    }
    Exchange exchange = new Exchange(request);
    RequestOptions o =
        new RequestOptions()
            .setMethod(request.method())
            .setURI(basePath.isEmpty() ? request.uri() : basePath + request.uri())
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs);
    clients
        .current()
        .request(o)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                noAnswer(request, ar.cause());
              } else {
                exchange.send(ar.result(), body);
              }
            });
    return exchange::cancel;
  }

  /** Whether a body follows the head: a length above zero, or a chunked HTTP/1.1 body. */
  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length != null) {
      return !length.equals("0");
    }
    if (request.version() == HttpVersion.HTTP_2) {
      // HTTP/2 may stream a body without a length; the usual body-less methods do not
      HttpMethod m = request.method();
      return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.DELETE);
    }
    return request.getHeader("transfer-encoding") != null;
  }

  /** One request's upstream side. */
  private final class Exchange {
    private final HttpServerRequest request;
    private HttpClientRequest upstream;
    private boolean cancelled;

    Exchange(HttpServerRequest request) {
      this.request = request;
    }

    void send(HttpClientRequest upstream, boolean body) {
      this.upstream = upstream;
      if (cancelled) {
        upstream.reset();
        return;
      }
      HttpServerResponse response = request.response();
      Relay.copyHeaders(request.headers(), upstream.headers(), REQUEST_HOP);
      // RequestIds put the id (the caller's, or a new one) on the response before this
      String id = response.headers().get(Relay.REQUEST_ID);
      if (id != null) {
        upstream.putHeader(Relay.REQUEST_ID, id);
      }
      upstream.response().onComplete(ar -> answer(ar.succeeded() ? ar.result() : null, ar.cause()));
      if (!body) {
        upstream.end();
        return;
      }
      if (request.getHeader("content-length") == null) {
        upstream.setChunked(true);
      }
      if ("100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
        response.writeContinue();
      }
      request
          .pipe()
          .endOnFailure(false)
          .to(upstream)
          .onFailure(
              t -> {
                if (!cancelled) {
                  upstream.reset();
                }
              });
    }

    void cancel() {
      if (!cancelled) {
        cancelled = true;
        if (upstream != null) {
          upstream.reset();
        }
      }
    }

    private void answer(HttpClientResponse r, Throwable failure) {
      HttpServerResponse response = request.response();
      if (r == null) {
        noAnswer(request, failure);
        return;
      }
      if (cancelled || response.closed()) {
        upstream.reset();
        return;
      }
      response.setStatusCode(r.statusCode());
      Relay.copyHeaders(r.headers(), response.headers(), Set.of());
      String outcome = Failures.outcome(r.statusCode());
      long length = bodiless(r.statusCode()) ? 0 : length(r.getHeader("content-length"));
      if (length >= 0 && length <= WHOLE_ANSWER_BYTES) {
        r.body()
            .onComplete(
                b -> {
                  if (b.failed()) {
                    response.reset();
                    return;
                  }
                  Relay.copyHeaders(r.trailers(), response.trailers(), Set.of());
                  listener.outcome(OPERATION, outcome);
                  response.end(b.result());
                });
        return;
      }
      if (length < 0 && request.version() == HttpVersion.HTTP_1_1) {
        response.setChunked(true);
      }
      Relay.stream(r, response, () -> listener.outcome(OPERATION, outcome));
    }
  }

  /** Answers that never have a body (RFC 9110 §6.4.1), whatever their headers say. */
  private static boolean bodiless(int status) {
    return status < 200 || status == 204 || status == 304;
  }

  private static long length(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** metagate's answer when ZITADEL gave none, in ZITADEL's error shape. */
  private void noAnswer(HttpServerRequest request, Throwable t) {
    listener.outcome(OPERATION, Failures.outcome(t));
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      response.reset();
      return;
    }
    answerError(response, t);
    if (!request.isEnded()) {
      // the caller may still be sending: what is left is read and dropped, keeping it moving
      request.handler(chunk -> {}).resume();
    }
  }

  private static void answerError(HttpServerResponse response, Throwable t) {
    MetagateException e = Failures.toCaller(t, 1);
    boolean late = e.code() == Code.DEADLINE_EXCEEDED;
    Buffer body =
        new JsonObject().put("code", e.code().number()).put("message", e.getMessage()).toBuffer();
    response
        .setStatusCode(late ? 504 : 503)
        .putHeader("content-type", "application/json")
        .end(body);
  }
}
