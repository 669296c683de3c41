import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

/**
 * The baseline: a bare Vert.x 5 HTTP server with one instance per core, like metagate's API
 * listener. GET /plaintext answers a fixed text; POST /echo answers its JSON body back.
 * Run: java -cp target/metagate.jar bench/src/BareVertx.java PORT
 */
public class BareVertx extends VerticleBase {
  static int port;

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              if (req.path().equals("/plaintext")) {
                req.response().putHeader("content-type", "text/plain").end("Hello, World!");
              } else if (req.path().equals("/echo")) {
                req.body()
                    .onSuccess(
                        b -> req.response().putHeader("content-type", "application/json").end(b));
              } else {
                req.response().setStatusCode(404).end();
              }
            })
        .listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx
        .deployVerticle(BareVertx::new, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare vert.x listening on " + port))
        .onFailure(e -> { e.printStackTrace(); System.exit(1); });
  }
}
