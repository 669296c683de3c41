package dev.metagate.api.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import com.zitadel.v1.ErrorDetail;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.upstream.UpstreamReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a gRPC answer: {@code grpc-status} is the failure's code and
 * {@code grpc-message} the very text the REST body's {@code message} carries ({@code "Metadata not
 * found (QUERY-Rgh32)"}). Anything that is not a {@link MetagateException} is a bug: it is logged
 * once and answered as INTERNAL.
 *
 * <p>A failure with a ZITADEL error id also carries {@code grpc-status-details-bin}: a {@code
 * google.rpc.Status} (code, the same message) whose one detail is a {@code zitadel.v1.ErrorDetail}
 * (id, text), exactly as ZITADEL's {@code ZITADELToGRPCError} builds it and grpc-go sends it
 * (unpadded base64). It is the gRPC twin of the REST body's {@code details}: errors without an id
 * (field validation, authentication) have neither.
 *
 * <p>{@code grpc-message} is percent-encoded as grpc-go (ZITADEL) and grpc-java encode it: only
 * bytes outside printable ASCII and {@code %} itself. Vert.x encodes like a URL query ({@code :}
 * becomes {@code %3A}), and grpc-js, under {@code @zitadel/node}, decodes with {@code decodeURI},
 * which leaves {@code %3A} and {@code %2C} as they are: its callers would read {@code "invalid
 * SetUserMetadataRequest.Key%3A value length ..."}.
 */
final class StatusMapper {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);

  private static final String ERROR_DETAIL_TYPE =
      "type.googleapis.com/" + ErrorDetail.getDescriptor().getFullName();

  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private StatusMapper() {}

  /** The failure as a MetagateException; unexpected ones are logged and become INTERNAL. */
  static MetagateException normalize(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof MetagateException e) {
      return e;
    }
    LOG.error("unexpected failure while handling a gRPC call", t);
    return MetagateException.of(Code.INTERNAL, "internal error");
  }

  /**
   * ZITADEL's REST error reply as the failure its gRPC API would have answered: the body's {@code
   * code} and {@code message} as they are (so {@code grpc-message} reads {@code
   * "Errors.Token.Invalid (AUTH-7fs1e)"} on both sides); only a reply without a body code falls
   * back to its HTTP status, mapped as grpc-gateway maps codes to statuses, read backwards.
   */
  static MetagateException fromUpstream(UpstreamReply reply) {
    JsonObject body = jsonOrNull(reply);
    Object code = body == null ? null : body.getValue("code");
    if (code instanceof Integer n && n > 0 && n <= 16) {
      Object message = body.getValue("message");
      String text = message instanceof String m ? m : Code.ofNumber(n).name();
      return withDetail(Code.ofNumber(n), text, body.getValue("details"));
    }
    return MetagateException.of(
        fromHttpStatus(reply.status()), "upstream answered HTTP " + reply.status());
  }

  /**
   * ZITADEL's successful REST reply parsed into {@code response} (its REST JSON is the gRPC
   * message's JSON form); an error reply fails as {@link #fromUpstream(UpstreamReply)} says.
   */
  static Message fromUpstream(UpstreamReply reply, Message.Builder response) {
    if (!reply.ok()) {
      throw fromUpstream(reply);
    }
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(reply.body().toString(), response);
      return response.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      LOG.warn(
          "upstream answered a body that is not a {}", response.getDescriptorForType().getName());
      throw MetagateException.of(Code.INTERNAL, "upstream answer could not be read");
    }
  }

  /**
   * The failure ZITADEL's REST body describes, keeping its {@code zitadel.v1.ErrorDetail} (so the
   * gRPC answer carries the same {@code grpc-status-details-bin} as ZITADEL's own gRPC API) when
   * the body's message is that detail's {@code "text (id)"}, as ZITADEL writes it; otherwise the
   * message as it is, without details.
   */
  private static MetagateException withDetail(Code code, String message, Object details) {
    if (details instanceof JsonArray list
        && list.size() == 1
        && list.getValue(0) instanceof JsonObject d
        && ERROR_DETAIL_TYPE.equals(d.getValue("@type"))
        && d.getValue("id") instanceof String id
        && d.getValue("message") instanceof String text
        && message.equals(text + " (" + id + ")")) {
      return MetagateException.withId(code, id, text);
    }
    return MetagateException.of(code, message);
  }

  private static JsonObject jsonOrNull(UpstreamReply reply) {
    try {
      return reply.body() == null || reply.body().length() == 0
          ? null
          : new JsonObject(reply.body());
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** grpc-gateway's code → HTTP status table, inverted (400 → INVALID_ARGUMENT, …). */
  static Code fromHttpStatus(int status) {
    return switch (status) {
      case 400 -> Code.INVALID_ARGUMENT;
      case 401 -> Code.UNAUTHENTICATED;
      case 403 -> Code.PERMISSION_DENIED;
      case 404 -> Code.NOT_FOUND;
      case 409 -> Code.ALREADY_EXISTS;
      case 412 -> Code.FAILED_PRECONDITION;
      case 429 -> Code.RESOURCE_EXHAUSTED;
      case 499 -> Code.CANCELLED;
      case 501 -> Code.UNIMPLEMENTED;
      case 502, 503 -> Code.UNAVAILABLE;
      case 504 -> Code.DEADLINE_EXCEEDED;
      default -> status >= 200 && status < 300 ? Code.OK : Code.INTERNAL;
    };
  }

  static GrpcStatus status(Code code) {
    return GrpcStatus.valueOf(code.number());
  }

  /** Ends {@code response} with {@code e}'s status and message, unless it has ended already. */
  static void send(GrpcServerResponse<?, ?> response, MetagateException e) {
    try {
      // an error always ends a unary call before any message, so it is a trailers-only answer
      // and this header is the one Vert.x sends instead of encoding statusMessage itself
      response.headers().set("grpc-message", percentEncode(e.getMessage()));
      if (e.id() != null) {
        response.headers().set(GrpcHeaderNames.GRPC_STATUS_DETAILS_BIN, statusDetails(e));
      }
      response.status(status(e.code())).statusMessage(e.getMessage()).end();
    } catch (IllegalStateException alreadyAnswered) {
      // the deadline or a cancel answered first; nothing is left to say
    }
  }

  /** {@code e} as ZITADEL's serialized {@code google.rpc.Status}, base64 without padding. */
  static String statusDetails(MetagateException e) {
    Status status =
        Status.newBuilder()
            .setCode(e.code().number())
            .setMessage(e.getMessage())
            .addDetails(
                Any.pack(ErrorDetail.newBuilder().setId(e.id()).setMessage(e.text()).build()))
            .build();
    return BASE64.encodeToString(status.toByteArray());
  }

  /** The gRPC spec's Percent-Encoded form: UTF-8, bytes outside 0x20–0x7E and {@code %} as %XX. */
  static String percentEncode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b <= 0x7e && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }
}
