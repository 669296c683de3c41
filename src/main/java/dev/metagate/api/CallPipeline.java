package dev.metagate.api;

import dev.metagate.auth.BearerAuth;
import dev.metagate.auth.Policy;
import dev.metagate.auth.Policy.Action;
import dev.metagate.auth.Principal;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The steps every metadata call takes, whatever its protocol: authenticate the bearer token, pick
 * the organization ({@code x-zitadel-orgid}, else the caller's own), check the permission policy
 * for that organization and user, then run the operation on the user. REST headers and gRPC
 * metadata feed it the same two strings, so both protocols answer alike.
 */
public final class CallPipeline {
  /** The header (REST) and metadata key (gRPC) naming the organization to act in. */
  public static final String ORG_HEADER = "x-zitadel-orgid";

  private static final int MAX_ORG_ID_CHARS = 200;

  private final BearerAuth auth;
  private final Policy policy;

  public CallPipeline(BearerAuth auth, Policy policy) {
    this.auth = auth;
    this.policy = policy;
  }

  /**
   * Runs {@code operation} on user {@code userId} for the caller of {@code authorization}; the
   * result completes on {@code context}. Fails with UNAUTHENTICATED, PERMISSION_DENIED or the
   * operation's own failure.
   */
  public <T> Future<T> run(
      Context context,
      String authorization,
      String orgHeader,
      Action action,
      String userId,
      Function<UserRef, CompletionStage<T>> operation) {
    return auth.authenticate(authorization)
        .compose(
            caller -> {
              UserRef user = new UserRef(orgOf(orgHeader, caller), userId);
              policy.check(caller, action, user.orgId(), userId);
              return onContext(operation.apply(user), context);
            });
  }

  /**
   * The stage as a future on {@code context}; a stage that is already complete (a cache hit) is
   * answered without a trip through the loop's task queue.
   */
  private static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      return Future.succeededFuture(f.join());
    }
    return Future.fromCompletionStage(stage, context);
  }

  /**
   * The organization to act in: the {@code x-zitadel-orgid} value, else the caller's own; one the
   * caller cannot name (empty, over 200 characters) is PERMISSION_DENIED {@code AUTH-Bs7Ds}.
   */
  public static String orgOf(String header, Principal caller) {
    String org = header != null && !header.isBlank() ? header.trim() : caller.orgId();
    if (org.isEmpty() || org.length() > MAX_ORG_ID_CHARS) {
      throw MetagateException.withId(
          Code.PERMISSION_DENIED, "AUTH-Bs7Ds", "No matching permissions found");
    }
    return org;
  }
}
