package dev.metagate.api.grpc;

import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a gRPC answer: {@code grpc-status} is the failure's code and
 * {@code grpc-message} the very text the REST body's {@code message} carries ({@code "Metadata not
 * found (QUERY-Rgh32)"}). Anything that is not a {@link MetagateException} is a bug: it is logged
 * once and answered as INTERNAL.
 */
final class StatusMapper {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);

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

  static GrpcStatus status(Code code) {
    return GrpcStatus.valueOf(code.number());
  }

  /** Ends {@code response} with {@code e}'s status and message, unless it has ended already. */
  static void send(GrpcServerResponse<?, ?> response, MetagateException e) {
    try {
      response.status(status(e.code())).statusMessage(e.getMessage()).end();
    } catch (IllegalStateException alreadyAnswered) {
      // the deadline or a cancel answered first; nothing is left to say
    }
  }
}
