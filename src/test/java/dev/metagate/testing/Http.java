package dev.metagate.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small blocking HTTP/1.1 client for tests, against one base URL. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String base;

  public Http(String base) {
    this.base = base;
  }

  /** A request builder for {@code method path}; add headers and body, then {@link Call#send()}. */
  public Call call(String method, String path) {
    return new Call(method, path);
  }

  public Response get(String path, String token) {
    return call("GET", path).token(token).send();
  }

  public Response post(String path, String token, String body) {
    return call("POST", path).token(token).body(body).send();
  }

  public Response delete(String path, String token) {
    return call("DELETE", path).token(token).send();
  }

  public Response delete(String path, String token, String body) {
    return call("DELETE", path).token(token).body(body).send();
  }

  /** One request being built. */
  public final class Call {
    private final String method;
    private final String path;
    private final List<String> headers = new ArrayList<>();
    private byte[] body;

    Call(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Call token(String token) {
      return token == null ? this : header("authorization", "Bearer " + token);
    }

    public Call header(String name, String value) {
      headers.add(name);
      headers.add(value);
      return this;
    }

    public Call body(String text) {
      return body(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Call body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    public Response send() {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      for (int i = 0; i < headers.size(); i += 2) {
        b.header(headers.get(i), headers.get(i + 1));
      }
      try {
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
      } catch (IOException e) {
        throw new IllegalStateException(method + " " + path + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A response: status, body text, headers. */
  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
