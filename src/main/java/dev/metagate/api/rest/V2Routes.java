package dev.metagate.api.rest;

import dev.metagate.api.V2Rules;
import dev.metagate.auth.Policy.Action;
import dev.metagate.metadata.Code;
import dev.metagate.metadata.MetadataService;
import dev.metagate.metadata.MetagateException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The three metadata methods of ZITADEL's v2 User service over REST. Same service, store and
 * pipeline as v1, so both APIs see the same data; only the shapes of requests, answers and field
 * errors differ.
 */
final class V2Routes {
  static final String PREFIX = "/v2/users/";
  static final String SET = "user.v2.SetUserMetadata";
  static final String LIST = "user.v2.ListUserMetadata";
  static final String DELETE = "user.v2.DeleteUserMetadata";

  private final MetadataService service;
  private final Pipeline pipeline;

  V2Routes(MetadataService service, Pipeline pipeline) {
    this.service = service;
    this.pipeline = pipeline;
  }

  /** Routes a request under {@link #PREFIX}: {@code {userId}/metadata[/search]}. */
  void dispatch(RoutingContext ctx) {
    List<String> seg = PathSegments.after(ctx.request().path(), PREFIX);
    if (seg == null || seg.size() < 2 || seg.size() > 3 || !seg.get(1).equals("metadata")) {
      throw MetagateException.of(Code.NOT_FOUND, "Not Found");
    }
    String userId = seg.get(0);
    HttpMethod method = ctx.request().method();
    if (seg.size() == 3) {
      if (!seg.get(2).equals("search")) {
        throw MetagateException.of(Code.NOT_FOUND, "Not Found");
      } else if (method == HttpMethod.POST) {
        list(ctx, userId);
      } else {
        Pipeline.methodNotAllowed(ctx);
      }
    } else if (method == HttpMethod.POST) {
      set(ctx, userId);
    } else if (method == HttpMethod.DELETE) {
      delete(ctx, userId);
    } else {
      Pipeline.methodNotAllowed(ctx);
    }
  }

  private void set(RoutingContext ctx, String userId) {
    ctx.put(RequestMetrics.OPERATION, SET);
    var entries = Bodies.bulkSetEntries(Pipeline.body(ctx));
    pipeline.run(
        ctx,
        Action.WRITE,
        userId,
        u -> {
          V2Rules.set(userId, entries);
          return service
              .bulkSet(u, entries)
              .thenApply(d -> V2Json.date("setDate", d.changeMicros()));
        });
  }

  private void list(RoutingContext ctx, String userId) {
    ctx.put(RequestMetrics.OPERATION, LIST);
    JsonObject body = Pipeline.body(ctx);
    var page = V2Bodies.pagination(body);
    var filters = V2Bodies.filters(body);
    pipeline.run(
        ctx,
        Action.READ,
        userId,
        u -> {
          var queries = V2Rules.list(userId, page, filters);
          return service.list(u, page, queries).thenApply(p -> V2Json.page(p, page));
        });
  }

  private void delete(RoutingContext ctx, String userId) {
    ctx.put(RequestMetrics.OPERATION, DELETE);
    var keys = V2Bodies.queryValues(ctx.request().query(), "keys");
    pipeline.run(
        ctx,
        Action.WRITE,
        userId,
        u -> {
          V2Rules.delete(userId, keys);
          return service
              .bulkRemove(u, keys)
              .thenApply(d -> V2Json.date("deletionDate", d.changeMicros()));
        });
  }
}
