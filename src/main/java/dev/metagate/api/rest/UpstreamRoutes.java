package dev.metagate.api.rest;

import dev.metagate.api.UpstreamCredentials;
import dev.metagate.api.V2Rules;
import dev.metagate.auth.Policy.Action;
import dev.metagate.ops.RequestIds;
import dev.metagate.upstream.Credential;
import dev.metagate.upstream.ReadAnswer;
import dev.metagate.upstream.UpstreamClient;
import dev.metagate.upstream.UpstreamMetadata;
import dev.metagate.upstream.UpstreamReply;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * The six v1 endpoints (and the three v2 ones, see {@link #operation(V2Call, RoutingContext)}) in
 * upstream mode: parse the body, establish the credential (the caller's own in passthrough mode; in
 * token mode authenticate and authorize locally, then act with metagate's service token), let
 * {@link UpstreamMetadata} validate and perform it, and answer with ZITADEL's reply as it came, or
 * render a read answered from the cache as local mode renders it. Every other request is streamed
 * to ZITADEL by {@link #claim}.
 */
final class UpstreamRoutes {
  private static final String CALL = "metagate.v1call";

  private final UpstreamMetadata metadata;
  private final UpstreamClient client;
  private final UpstreamCredentials credentials;

  UpstreamRoutes(
      UpstreamMetadata metadata, UpstreamClient client, UpstreamCredentials credentials) {
    this.metadata = metadata;
    this.client = client;
    this.credentials = credentials;
  }

  /**
   * Keeps the six v1 and three v2 endpoints for {@link #dispatch}; streams everything else to
   * ZITADEL.
   */
  void claim(RoutingContext ctx) {
    V1Call call = V1Call.match(ctx.request().method(), ctx.request().path());
    if (call != null) {
      ctx.put(CALL, call);
      ctx.put(RequestMetrics.OPERATION, call.op().name());
      ctx.next();
      return;
    }
    V2Call v2 = V2Call.match(ctx.request().method(), ctx.request().path());
    if (v2 != null) {
      ctx.put(CALL, v2);
      ctx.put(RequestMetrics.OPERATION, v2.op().operation);
      ctx.next();
      return;
    }
    Runnable cancel = client.passThrough(ctx.request());
    ctx.addEndHandler(
        ended -> {
          if (ended.failed()) {
            cancel.run(); // the caller went away: stop ZITADEL's side too
          }
        });
  }

  void dispatch(RoutingContext ctx) {
    Object claimed = ctx.get(CALL);
    Operation operation;
    Future<Credential> credential;
    if (claimed instanceof V1Call call) {
      operation = operation(call, Bodies.object(ctx.body().buffer()));
      credential = credential(ctx, call.op().action, call.userId());
    } else {
      V2Call call = (V2Call) claimed;
      operation = operation(call, ctx);
      credential = credential(ctx, call.op().action, call.userId());
    }
    Context here = ctx.vertx().getOrCreateContext();
    credential
        .compose(operation::run)
        .onComplete(
            ar -> {
              // a shared upstream call may end on another request's event loop
              if (Vertx.currentContext() == here) {
                respond(ctx, ar);
              } else {
                here.runOnContext(x -> respond(ctx, ar));
              }
            });
  }

  private static void respond(RoutingContext ctx, AsyncResult<Answer> ar) {
    if (ar.failed()) {
      RequestMetrics.fail(ctx, ar.cause());
    } else if (ar.result().reply() != null) {
      answer(ctx, ar.result().reply());
    } else {
      RestApi.sendJson(ctx, ar.result().json());
    }
  }

  /** Parses the body for {@code call} now, so a malformed one fails before anything else. */
  private Operation operation(V1Call call, JsonObject body) {
    String user = call.userId();
    String key = call.key();
    return switch (call.op()) {
      case BulkSetUserMetadata -> {
        var entries = Bodies.bulkSetEntries(body);
        yield as -> metadata.bulkSet(as, user, entries).map(Answer::of);
      }
      case SetUserMetadata -> {
        byte[] value = Bodies.value(body);
        yield as -> metadata.set(as, user, key, value).map(Answer::of);
      }
      case GetUserMetadata ->
          as -> metadata.get(as, user, key).map(a -> Answer.of(a, Json::metadata));
      case ListUserMetadata -> {
        var page = Bodies.listQuery(body);
        var queries = Bodies.keyQueries(body);
        yield as -> metadata.list(as, user, page, queries).map(a -> Answer.of(a, Json::page));
      }
      case RemoveUserMetadata -> as -> metadata.remove(as, user, key).map(Answer::of);
      case BulkRemoveUserMetadata -> {
        var keys = Bodies.keys(body);
        yield as -> metadata.bulkRemove(as, user, keys).map(Answer::of);
      }
    };
  }

  /**
   * Parses a v2 request now (a malformed body fails first); its field rules run once the credential
   * is established, as in local mode, and before anything is sent upstream.
   */
  private Operation operation(V2Call call, RoutingContext ctx) {
    String user = call.userId();
    return switch (call.op()) {
      case SET -> {
        var entries = Bodies.bulkSetEntries(Bodies.object(ctx.body().buffer()));
        yield as -> {
          V2Rules.set(user, entries);
          return metadata.setV2(as, user, entries).map(Answer::of);
        };
      }
      case LIST -> {
        Buffer raw = ctx.body().buffer();
        JsonObject body = Bodies.object(raw);
        var page = V2Bodies.pagination(body);
        var filters = V2Bodies.filters(body);
        Buffer forwarded = raw == null || raw.length() == 0 ? Buffer.buffer("{}") : raw;
        yield as -> {
          V2Rules.list(user, page, filters);
          return metadata.listV2(as, user, forwarded).map(Answer::of);
        };
      }
      case DELETE -> {
        var keys = V2Bodies.queryValues(ctx.request().query(), "keys");
        yield as -> {
          V2Rules.delete(user, keys);
          return metadata.deleteV2(as, user, keys).map(Answer::of);
        };
      }
    };
  }

  private Future<Credential> credential(RoutingContext ctx, Action action, String userId) {
    return credentials.of(
        ctx.request().getHeader("authorization"),
        ctx.request().getHeader(MetadataRoutes.ORG_HEADER),
        ctx.get(RequestIds.CONTEXT_KEY),
        action,
        userId);
  }

  /** ZITADEL's answer as it came: status, body, content type and any Retry-After. */
  private static void answer(RoutingContext ctx, UpstreamReply reply) {
    var response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (reply.status() >= 400) {
      Integer code = errorCode(reply);
      if (code != null) {
        ctx.put(RequestMetrics.CODE, code);
      }
    }
    response.setStatusCode(reply.status());
    copy(reply, response, "content-type");
    copy(reply, response, "retry-after");
    copy(reply, response, "www-authenticate");
    response.end(reply.body());
  }

  private static void copy(
      UpstreamReply reply, io.vertx.core.http.HttpServerResponse response, String name) {
    String v = reply.headers().get(name);
    if (v != null) {
      response.putHeader(name, v);
    }
  }

  private static Integer errorCode(UpstreamReply reply) {
    try {
      Object code = new JsonObject(reply.body()).getValue("code");
      return code instanceof Integer i && i >= 0 && i <= 16 ? i : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** One parsed request, waiting for its credential. */
  @FunctionalInterface
  private interface Operation {
    Future<Answer> run(Credential as);
  }

  /** ZITADEL's reply to pass back as it came, or JSON rendered from the cache. */
  private record Answer(UpstreamReply reply, String json) {
    static Answer of(UpstreamReply reply) {
      return new Answer(reply, null);
    }

    static <T> Answer of(ReadAnswer<T> read, BiFunction<T, String, String> render) {
      return read.refusal() != null
          ? new Answer(read.refusal(), null)
          : new Answer(null, render.apply(read.value(), read.resourceOwner()));
    }
  }
}
