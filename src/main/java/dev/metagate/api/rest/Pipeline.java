package dev.metagate.api.rest;

import dev.metagate.api.CallPipeline;
import dev.metagate.auth.Policy.Action;
import dev.metagate.auth.Principal;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The REST side of {@link CallPipeline}, for every metadata request once its body is parsed:
 * authenticate the bearer token, pick the target org ({@code x-zitadel-orgid} or the caller's own),
 * check the permission policy, run the operation, answer its JSON or its error.
 */
final class Pipeline {
  static final String ORG_HEADER = CallPipeline.ORG_HEADER;

  private final CallPipeline calls;

  Pipeline(CallPipeline calls) {
    this.calls = calls;
  }

  /**
   * Runs {@code operation} for user {@code userId} of the target org once the caller may do {@code
   * action} there, and answers its JSON or its error. An exception thrown by {@code operation}
   * (field validation) fails the request like a failed stage.
   */
  void run(
      RoutingContext ctx,
      Action action,
      String userId,
      Function<UserRef, CompletionStage<String>> operation) {
    run(ctx.request(), action, userId, operation)
        .onSuccess(json -> RestApi.sendJson(ctx, json))
        .onFailure(e -> RequestMetrics.fail(ctx, e));
  }

  /** As above without a routing context: the operation's JSON, or its failure. */
  Future<String> run(
      HttpServerRequest request,
      Action action,
      String userId,
      Function<UserRef, CompletionStage<String>> operation) {
    return calls.run(
        Vertx.currentContext(),
        request.getHeader("authorization"),
        request.getHeader(ORG_HEADER),
        action,
        userId,
        operation);
  }

  /** The org a request acts in: its {@code x-zitadel-orgid}, else the caller's own. */
  static String orgOf(RoutingContext ctx, Principal caller) {
    return CallPipeline.orgOf(ctx.request().getHeader(ORG_HEADER), caller);
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
