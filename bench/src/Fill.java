import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fills metagate with USERS x KEYS metadata entries through bulk sets, then reads one key of
 * every user so every snapshot has passed through the cache.
 * Run: java bench/src/Fill.java BASE_URL TOKEN USERS KEYS
 */
public class Fill {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    String token = args[1];
    int users = Integer.parseInt(args[2]);
    int keys = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newHttpClient();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger failures = new AtomicInteger();
    for (int u = 0; u < users; u++) {
      int user = u;
      pool.submit(
          () -> {
            StringBuilder body = new StringBuilder("{\"metadata\":[");
            for (int k = 0; k < keys; k++) {
              body.append(k == 0 ? "" : ",")
                  .append("{\"key\":\"key-")
                  .append(k)
                  .append("\",\"value\":\"dmFsdWUtMDEyMzQ1Njc4OQ==\"}");
            }
            body.append("]}");
            failures.addAndGet(send(client, base + "/management/v1/users/fill-" + user + "/metadata/_bulk", token, body.toString()));
            failures.addAndGet(send(client, base + "/management/v1/users/fill-" + user + "/metadata/key-0", token, null));
          });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    System.out.println("filled " + (long) users * keys + " keys, failures " + failures.get());
  }

  static int send(HttpClient client, String url, String token, String body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + token);
      b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
      return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      return 1;
    }
  }
}
