package dev.metagate.api.rest;

import dev.metagate.auth.BearerAuth;
import dev.metagate.auth.Policy;
import dev.metagate.auth.Policy.Action;
import dev.metagate.auth.Principal;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetadataService;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The six v1 user-metadata endpoints. Each request goes: parse the body, authenticate, authorize
 * for the target org and user, call the service, render ZITADEL's JSON.
 */
final class MetadataRoutes {
  static final String PREFIX = "/management/v1/users/";
  static final String ORG_HEADER = "x-zitadel-orgid";
  private static final String BULK = "_bulk";
  private static final String SEARCH = "_search";
  private static final int MAX_ORG_ID_CHARS = 200;

  private final MetadataService service;
  private final BearerAuth auth;
  private final Policy policy;

  MetadataRoutes(MetadataService service, BearerAuth auth, Policy policy) {
    this.service = service;
    this.auth = auth;
    this.policy = policy;
  }

  /** Routes a request under {@link #PREFIX} by its raw path segments. */
  void dispatch(RoutingContext ctx) {
    List<String> seg = PathSegments.after(ctx.request().path(), PREFIX);
    if (seg == null || seg.size() != 3 || !seg.get(1).equals("metadata")) {
      throw MetagateException.of(Code.NOT_FOUND, "Not Found");
    }
    String userId = seg.get(0);
    String last = seg.get(2);
    HttpMethod method = ctx.request().method();
    if (last.equals(BULK)) {
      if (method == HttpMethod.POST) {
        bulkSet(ctx, userId);
      } else if (method == HttpMethod.DELETE) {
        bulkRemove(ctx, userId);
      } else {
        methodNotAllowed(ctx);
      }
    } else if (last.equals(SEARCH)) {
      if (method == HttpMethod.POST) {
        list(ctx, userId);
      } else {
        methodNotAllowed(ctx);
      }
    } else if (method == HttpMethod.POST) {
      set(ctx, userId, last);
    } else if (method == HttpMethod.GET) {
      get(ctx, userId, last);
    } else if (method == HttpMethod.DELETE) {
      remove(ctx, userId, last);
    } else {
      methodNotAllowed(ctx);
    }
  }

  private void bulkSet(RoutingContext ctx, String userId) {
    ctx.put(RequestMetrics.OPERATION, "BulkSetUserMetadata");
    var entries = Bodies.bulkSetEntries(body(ctx));
    run(ctx, Action.WRITE, userId, u -> service.bulkSet(u, entries).thenApply(Json::withDetails));
  }

  private void set(RoutingContext ctx, String userId, String key) {
    ctx.put(RequestMetrics.OPERATION, "SetUserMetadata");
    byte[] value = Bodies.value(body(ctx));
    run(ctx, Action.WRITE, userId, u -> service.set(u, key, value).thenApply(Json::withDetails));
  }

  private void get(RoutingContext ctx, String userId, String key) {
    ctx.put(RequestMetrics.OPERATION, "GetUserMetadata");
    run(
        ctx,
        Action.READ,
        userId,
        u -> service.get(u, key).thenApply(e -> Json.metadata(e, u.orgId())));
  }

  private void list(RoutingContext ctx, String userId) {
    ctx.put(RequestMetrics.OPERATION, "ListUserMetadata");
    JsonObject body = body(ctx);
    var page = Bodies.listQuery(body);
    var queries = Bodies.keyQueries(body);
    run(
        ctx,
        Action.READ,
        userId,
        u -> service.list(u, page, queries).thenApply(p -> Json.page(p, u.orgId())));
  }

  private void remove(RoutingContext ctx, String userId, String key) {
    ctx.put(RequestMetrics.OPERATION, "RemoveUserMetadata");
    run(ctx, Action.WRITE, userId, u -> service.remove(u, key).thenApply(Json::withDetails));
  }

  private void bulkRemove(RoutingContext ctx, String userId) {
    ctx.put(RequestMetrics.OPERATION, "BulkRemoveUserMetadata");
    var keys = Bodies.keys(body(ctx));
    run(ctx, Action.WRITE, userId, u -> service.bulkRemove(u, keys).thenApply(Json::withDetails));
  }

  private void run(
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

  private static JsonObject body(RoutingContext ctx) {
    return Bodies.object(ctx.body().buffer());
  }

  /** A known path with a method it does not offer: code 12 as ZITADEL's gateway, HTTP 405. */
  private static void methodNotAllowed(RoutingContext ctx) {
    ErrorMapper.send(
        ctx.response(), 405, MetagateException.of(Code.UNIMPLEMENTED, "Method Not Allowed"));
  }
}
