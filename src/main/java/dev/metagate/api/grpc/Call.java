package dev.metagate.api.grpc;

import dev.metagate.api.CallPipeline;
import dev.metagate.api.UpstreamCredentials;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import dev.metagate.upstream.Credential;
import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One gRPC call on its way through the {@link CallPipeline}: its {@code authorization} and {@code
 * x-zitadel-orgid} metadata play the REST headers' part, and once its deadline has passed no new
 * work is started for it.
 */
final class Call {
  private final GrpcServerRequest<?, ?> request;
  private final CallPipeline pipeline;
  private volatile boolean expired;

  Call(GrpcServerRequest<?, ?> request, CallPipeline pipeline) {
    this.request = request;
    this.pipeline = pipeline;
    Timer deadline = request.deadline();
    if (deadline != null) {
      deadline.onSuccess(v -> expired = true);
    }
  }

  /** Authenticates, authorizes {@code action} on {@code userId}, then runs {@code operation}. */
  <T> Future<T> run(Action action, String userId, Function<UserRef, CompletionStage<T>> operation) {
    return pipeline.run(
        Vertx.currentContext(),
        request.headers().get("authorization"),
        request.headers().get(CallPipeline.ORG_HEADER),
        action,
        userId,
        user ->
            expired ? CompletableFuture.failedFuture(deadlineExceeded()) : operation.apply(user));
  }

  /**
   * The upstream credential for {@code action} on {@code userId}, from the call's metadata as REST
   * takes it from headers; fails once the deadline has passed, so no upstream call is started.
   */
  Future<Credential> credential(UpstreamCredentials credentials, Action action, String userId) {
    if (expired) {
      return Future.failedFuture(deadlineExceeded());
    }
    return credentials.of(
        request.headers().get("authorization"),
        request.headers().get(CallPipeline.ORG_HEADER),
        null,
        action,
        userId);
  }

  /** True once the client's {@code grpc-timeout} has run out (and the call was answered so). */
  boolean expired() {
    return expired;
  }

  static MetagateException deadlineExceeded() {
    return MetagateException.of(Code.DEADLINE_EXCEEDED, "deadline exceeded");
  }
}
