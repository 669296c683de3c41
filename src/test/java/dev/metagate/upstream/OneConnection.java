package dev.metagate.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Requests on one HTTP/2 connection, written in the order they are sent and still concurrent: the
 * gateway sees them arrive in that order on one event loop, so "arrival order" is the test's order.
 */
final class OneConnection implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final int port;

  OneConnection(int port) {
    this.port = port;
    this.client =
        vertx
            .httpClientBuilder()
            .with(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false))
            .with(new PoolOptions().setHttp2MaxSize(1))
            .build();
  }

  /** An answer: status and body. */
  record Answer(int status, String body) {}

  /** Writes the request now (its stream is open when this returns); the answer comes later. */
  Future<Answer> send(String method, String path, String token, String org, String body) {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path)
            .putHeader("authorization", "Bearer " + token)
            .putHeader("content-type", "application/json");
    if (org != null) {
      o.putHeader("x-zitadel-orgid", org);
    }
    var request = client.request(o).await();
    return request
        .send(body == null ? Buffer.buffer() : Buffer.buffer(body))
        .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString())));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
