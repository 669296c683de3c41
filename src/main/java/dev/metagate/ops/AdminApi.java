package dev.metagate.ops;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin port's routes: liveness, readiness, metrics, the API's OpenAPI document, and the dev
 * issuer's JWKS when on.
 */
public final class AdminApi {
  private AdminApi() {}

  /** {@code devJwks} is null unless the dev issuer is on. */
  public static Router router(
      Vertx vertx, Health health, Metrics metrics, JsonObject devJwks, String openApi) {
    Router router = Router.router(vertx);
    router
        .get("/openapi.yaml")
        .handler(ctx -> ctx.response().putHeader("content-type", "application/yaml").end(openApi));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> ready(ctx, health));
    if (devJwks != null) {
      String body = devJwks.encode();
      router
          .get("/oauth/v2/keys")
          .handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(body));
    }
    return router;
  }

  private static void ready(RoutingContext ctx, Health health) {
    boolean ready = health.ready();
    JsonObject checks = new JsonObject();
    health.states().forEach((name, up) -> checks.put(name, up ? "UP" : "DOWN"));
    json(
        ctx,
        ready ? 200 : 503,
        new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checks));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
