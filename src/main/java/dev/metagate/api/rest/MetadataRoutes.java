package dev.metagate.api.rest;

import dev.metagate.api.CallPipeline;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.KeyValue;
import dev.metagate.metadata.MetadataService;
import dev.metagate.metadata.MetagateException;
import dev.metagate.metadata.UserRef;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The six v1 user-metadata endpoints. Each request goes: parse the body, then the {@link
 * CallPipeline} (authenticate, authorize for the target org and user, call the service), then
 * render ZITADEL's JSON.
 */
final class MetadataRoutes {
  static final String PREFIX = "/management/v1/users/";
  static final String ORG_HEADER = Pipeline.ORG_HEADER;
  private static final String BULK = "_bulk";
  private static final String SEARCH = "_search";

  private final MetadataService service;
  private final Pipeline pipeline;

  MetadataRoutes(MetadataService service, Pipeline pipeline) {
    this.service = service;
    this.pipeline = pipeline;
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
    run(ctx, Action.WRITE, userId, bulkSet(ctx.body().buffer()));
  }

  private void set(RoutingContext ctx, String userId, String key) {
    ctx.put(RequestMetrics.OPERATION, "SetUserMetadata");
    run(ctx, Action.WRITE, userId, set(key, ctx.body().buffer()));
  }

  private void get(RoutingContext ctx, String userId, String key) {
    ctx.put(RequestMetrics.OPERATION, "GetUserMetadata");
    run(ctx, Action.READ, userId, get(key));
  }

  /** BulkSetUserMetadata of {@code body}; throws MetagateException when the body is invalid. */
  Function<UserRef, CompletionStage<String>> bulkSet(Buffer body) {
    List<KeyValue> streamed = StreamedBodies.bulkSetEntries(body);
    var entries = streamed != null ? streamed : Bodies.bulkSetEntries(Bodies.object(body));
    return u -> service.bulkSet(u, entries).thenApply(Json::withDetails);
  }

  /** SetUserMetadata of {@code body}; throws MetagateException when the body is invalid. */
  Function<UserRef, CompletionStage<String>> set(String key, Buffer body) {
    byte[] streamed = StreamedBodies.value(body);
    byte[] value = streamed != null ? streamed : Bodies.value(Bodies.object(body));
    return u -> service.set(u, key, value).thenApply(Json::withDetails);
  }

  /** GetUserMetadata of {@code key}. */
  Function<UserRef, CompletionStage<String>> get(String key) {
    return u -> service.get(u, key).thenApply(e -> Json.metadata(e, u.orgId()));
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
    pipeline.run(ctx, action, userId, operation);
  }

  private static JsonObject body(RoutingContext ctx) {
    return Pipeline.body(ctx);
  }

  private static void methodNotAllowed(RoutingContext ctx) {
    Pipeline.methodNotAllowed(ctx);
  }
}
