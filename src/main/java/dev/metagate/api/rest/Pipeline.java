package dev.metagate.api.rest;

import dev.metagate.auth.BearerAuth;
import dev.metagate.auth.Policy;
import dev.metagate.auth.Policy.Action;
import dev.metagate.auth.Principal;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What every metadata request goes through once its body is parsed, whatever the API version:
 * authenticate the bearer token, pick the target org ({@code x-zitadel-orgid} or the caller's own),
 * check the permission policy, run the operation, answer its JSON or its error.
 */
final class Pipeline {
  static final String ORG_HEADER = "x-zitadel-orgid";
  private static final int MAX_ORG_ID_CHARS = 200;

  private final BearerAuth auth;
  private final Policy policy;

  Pipeline(BearerAuth auth, Policy policy) {
    this.auth = auth;
    this.policy = policy;
  }

  /**
   * Runs {@code operation} for user {@code userId} of the target org once the caller may do {@code
   * action} there. An exception thrown by {@code operation} (field validation) fails the request
   * like a failed stage.
   */
  void run(
      RoutingContext ctx,
      Action action,
      String userId,
      Function<UserRef, CompletionStage<String>> operation) {
    auth.authenticate(ctx.request().getHeader("authorization"))
        .compose(
            caller -> {
              UserRef user = new UserRef(orgOf(ctx, caller), userId);
              policy.check(caller, action, user.orgId(), userId);
              return onContext(operation.apply(user), ctx);
            })
        .onSuccess(json -> RestApi.sendJson(ctx, json))
        .onFailure(e -> RequestMetrics.fail(ctx, e));
  }

  /**
   * The stage as a future on the request's event loop; a stage that is already complete (a cache
   * hit) is answered without a trip through the loop's task queue.
   */
  private static <T> Future<T> onContext(CompletionStage<T> stage, RoutingContext ctx) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      return Future.succeededFuture(f.join());
    }
    return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
  }

  static String orgOf(RoutingContext ctx, Principal caller) {
    String header = ctx.request().getHeader(ORG_HEADER);
    String org = header != null && !header.isBlank() ? header.trim() : caller.orgId();
    if (org.isEmpty() || org.length() > MAX_ORG_ID_CHARS) {
      throw MetagateException.withId(
          Code.PERMISSION_DENIED, "AUTH-Bs7Ds", "No matching permissions found");
    }
    return org;
  }

  /** The request body as a JSON object, parsed strictly (see {@link Bodies#object}). */
  static JsonObject body(RoutingContext ctx) {
    return Bodies.object(ctx.body().buffer());
  }

  /** A known path with a method it does not offer: code 12 as ZITADEL's gateway, HTTP 405. */
  static void methodNotAllowed(RoutingContext ctx) {
    ErrorMapper.send(
        ctx.response(), 405, MetagateException.of(Code.UNIMPLEMENTED, "Method Not Allowed"));
  }
}
