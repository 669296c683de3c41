import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;

/**
 * Cross-instance staleness with the PostgreSQL store: N times, set a key through instance A and,
 * from A's 200 on, read it through instance B (which has the previous value cached) until B
 * answers the new value. Prints {@code lag_ms p50 P50 p99 P99 max MAX n N}.
 * Run: java -cp classes NotifyLag A_URL B_URL TOKEN N
 */
public class NotifyLag {
  public static void main(String[] args) throws Exception {
    String a = args[0];
    String b = args[1];
    String token = args[2];
    int n = Integer.parseInt(args[3]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String path = "/management/v1/users/lag-user/metadata/k";
    double[] lags = new double[n];
    set(http, a + path, token, "v-start");
    while (!read(http, b + path, token).contains(b64("v-start"))) {
      Thread.sleep(1);
    }
    for (int i = 0; i < n; i++) {
      String value = "v-" + i;
      set(http, a + path, token, value);
      long acked = System.nanoTime();
      while (!read(http, b + path, token).contains(b64(value))) {
        // B still answers the old value from its cache: poll again at once
      }
      lags[i] = (System.nanoTime() - acked) / 1e6;
    }
    Arrays.sort(lags);
    System.out.printf(
        "lag_ms p50 %.2f p99 %.2f max %.2f n %d%n",
        lags[n / 2], lags[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)], lags[n - 1], n);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  private static void set(HttpClient http, String url, String token, String value)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("authorization", "Bearer " + token)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + b64(value) + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("set answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static String read(HttpClient http, String url, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
