package dev.metagate.api.rest;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a REST answer: ZITADEL's error body and the HTTP status of the
 * gRPC-gateway mapping. Anything that is not a {@link MetagateException} is a bug: it is logged
 * once and answered as INTERNAL.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
  static final String ERROR_DETAIL_TYPE = "type.googleapis.com/zitadel.v1.ErrorDetail";

  private ErrorMapper() {}

  /** The HTTP status for a gRPC code, as grpc-gateway maps it. */
  public static int httpStatus(Code code) {
    return switch (code) {
      case OK -> 200;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case CANCELLED -> 499;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 500;
    };
  }

  /** The failure as a MetagateException; unexpected ones are logged and become INTERNAL. */
  public static MetagateException normalize(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof MetagateException e) {
      return e;
    }
    LOG.error("unexpected failure while handling a request", t);
    return MetagateException.of(Code.INTERNAL, "internal error");
  }

  /** ZITADEL's error body for {@code e}. */
  public static JsonObject body(MetagateException e) {
    JsonObject body =
        new JsonObject().put("code", e.code().number()).put("message", e.getMessage());
    if (e.id() != null) {
      body.put(
          "details",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("@type", ERROR_DETAIL_TYPE)
                      .put("id", e.id())
                      .put("message", e.text())));
    }
    return body;
  }

  /** Ends {@code response} with {@code failure}, with the given HTTP status. */
  public static void send(HttpServerResponse response, int status, MetagateException e) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(RestApi.CONTENT_TYPE, RestApi.APPLICATION_JSON);
    if (e.retryAfterSeconds() > 0) {
      response.putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
    }
    response.end(body(e).encode());
  }

  /** Ends {@code response} with {@code failure} at the status its code maps to. */
  public static void send(HttpServerResponse response, Throwable failure) {
    MetagateException e = normalize(failure);
    send(response, httpStatus(e.code()), e);
  }
}
