import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The coalescing probe: N single-key SetUserMetadata calls on one user with one credential, all
 * sent at once over up to N connections, so they queue behind each other in metagate's per-user
 * write order. Prints {@code sets N ok K} (K answered 200). The upstream write calls it caused are
 * read from the fake upstream's counter by run.sh.
 * Run: java -cp classes Burst BASE_URL TOKEN USER N
 */
public class Burst {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    String token = args[1];
    String user = args[2];
    int n = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(base + "/management/v1/users/" + user + "/metadata/key-" + i))
              .header("authorization", "Bearer " + token)
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"djAwMDAwMDAx\"}"))
              .build();
      requests.add(req);
    }
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (HttpRequest req : requests) { // built first, then sent in one tight loop
      answers.add(
          client
              .sendAsync(req, HttpResponse.BodyHandlers.discarding())
              .thenApply(HttpResponse::statusCode)
              .exceptionally(e -> -1));
    }
    int ok = 0;
    for (CompletableFuture<Integer> a : answers) {
      ok += a.join() == 200 ? 1 : 0;
    }
    System.out.println("sets " + n + " ok " + ok);
  }
}
