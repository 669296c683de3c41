import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor of a reverse proxy on Vert.x 5: one instance per core, each with its own client of up
 * to 64 keep-alive connections, copying method, URI, headers, status, headers and body, and
 * nothing else (no hop-by-hop rules, timeouts, ids, metrics or limits). Not a product: it shows
 * how close to nginx any Vert.x proxy can get on this machine, next to metagate's pass-through.
 * Run: java -cp target/metagate.jar bench/src/BareProxy.java PORT UPSTREAM_PORT
 */
public class BareProxy extends VerticleBase {
  static int port;
  static int upstream;

  @Override
  public Future<?> start() {
    HttpClient client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(upstream))
            .with(new PoolOptions().setHttp1MaxSize(64))
            .build();
    return vertx
        .createHttpServer()
        .requestHandler(
            req ->
                client
                    .request(
                        new RequestOptions()
                            .setMethod(req.method())
                            .setURI(req.uri())
                            .setHeaders(req.headers().copy().remove("host")))
                    .compose(up -> req.headers().contains("content-length") ? up.send(req) : up.send())
                    .onSuccess(
                        r -> {
                          req.response().setStatusCode(r.statusCode()).headers().addAll(r.headers());
                          r.body().onSuccess(b -> req.response().end(b));
                        })
                    .onFailure(t -> req.response().setStatusCode(502).end()))
        .listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    port = Integer.parseInt(args[0]);
    upstream = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx
        .deployVerticle(BareProxy::new, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare proxy listening on " + port))
        .onFailure(e -> { e.printStackTrace(); System.exit(1); });
  }
}
