package dev.metagate.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metagate.api.rest.BadRequest.Caller;
import dev.metagate.testing.Http;
import dev.metagate.testing.Invariants;
import dev.metagate.testing.RawHttp;
import dev.metagate.testing.StoreSnapshot;
import dev.metagate.testing.TestGateway;
import dev.metagate.testing.TestIssuer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every request of {@link BadInputCorpus} to a real gateway and checks that each is rejected
 * with the error api.md names, in ZITADEL's error shape, never with a 5xx, and that the stored data
 * (every table row in the SQLite file, and every key and list as the API returns it) is exactly as
 * it was before the case ran; a last test checks it is still the data seeded before the corpus.
 */
@ExtendWith(Invariants.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusTest {
  private static final String ERROR_DETAIL = "type.googleapis.com/zitadel.v1.ErrorDetail";

  /** What is stored for one user before the corpus runs. */
  private record Seed(String org, String user, Map<String, byte[]> keys) {}

  /** Everything observable about stored data: the raw tables and the API's answers. */
  private record Baseline(StoreSnapshot store, Map<String, String> api) {}

  private static TestIssuer issuer;
  private static TestGateway main;
  private static TestGateway tight;
  private static String adminToken;
  private static String plainUserToken;
  private static String rootToken;
  private static List<Seed> mainSeeds;
  private static List<Seed> tightSeeds;
  private static Baseline mainSeeded;
  private static Baseline tightSeeded;

  @BeforeAll
  static void startAndSeed() {
    issuer = TestIssuer.start();
    main = TestGateway.start(issuer);
    tight = TestGateway.start(issuer, Map.of("METAGATE_HTTP_MAX_BODY_SIZE", "64KiB"));
    adminToken = issuer.token("admin", "org1", "ORG_OWNER");
    plainUserToken = issuer.token("bob", "org1");
    rootToken = issuer.token("root", "org0", "IAM_OWNER");
    byte[] big = new byte[20_000];
    new Random(42).nextBytes(big);
    Map<String, byte[]> alice = new LinkedHashMap<>();
    alice.put("k1", utf8("v1"));
    alice.put("k2", utf8("value two"));
    alice.put("dir/x", new byte[] {0, 1, 2, (byte) 0xFF});
    alice.put("\u00fcn\u00ef\uD83D\uDD11", utf8("unicode"));
    alice.put("big", big);
    mainSeeds =
        List.of(
            new Seed("org1", "alice", alice),
            new Seed("org1", "bob", Map.of("b", utf8("bee"))),
            new Seed("org2", "carol", Map.of("c", utf8("sea"))));
    tightSeeds = List.of(new Seed("org1", "alice", Map.of("k1", utf8("v1"), "k2", utf8("v2"))));
    mainSeeds.forEach(s -> seed(main, s));
    tightSeeds.forEach(s -> seed(tight, s));
    mainSeeded = baseline(main, mainSeeds);
    tightSeeded = baseline(tight, tightSeeds);
  }

  @AfterAll
  static void stop() {
    if (main != null) {
      main.close();
    }
    if (tight != null) {
      tight.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  static Stream<BadRequest> corpus() {
    return BadInputCorpus.all();
  }

  @Test
  @Order(0)
  void corpus_hasAtLeast50UniquelyNamedCases() {
    List<String> names = corpus().map(BadRequest::name).toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(50);
    assertThat(new HashSet<>(names)).hasSameSizeAs(names);
  }

  @ParameterizedTest(name = "{0}")
  @Order(1)
  @MethodSource("corpus")
  void badRequest_isRejectedInZitadelShape_andStoresNothing(BadRequest c) {
    Baseline mainBeforeCase = baseline(main, mainSeeds);
    Baseline tightBeforeCase = baseline(tight, tightSeeds);

    Http.Response r = send(c);

    assertRejected(c, r);
    assertThat(baseline(main, mainSeeds)).as("main data after " + c).isEqualTo(mainBeforeCase);
    assertThat(baseline(tight, tightSeeds)).as("tight data after " + c).isEqualTo(tightBeforeCase);
  }

  @Test
  @Order(2)
  void afterTheWholeCorpus_storedDataIsTheSeededData() {
    assertThat(baseline(main, mainSeeds)).isEqualTo(mainSeeded);
    assertThat(baseline(tight, tightSeeds)).isEqualTo(tightSeeded);
  }

  private static void assertRejected(BadRequest c, Http.Response r) {
    assertThat(r.status()).as("status of %s: %s", c, r).isEqualTo(c.status());
    assertThat(r.status() < 500 || r.status() == 503).as("no 5xx: %s", r).isTrue();
    assertThat(r.header("content-type")).as("content type: %s", r).startsWith("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.fieldNames())
        .as("error fields: %s", r)
        .isSubsetOf("code", "message", "details");
    assertThat(body.getValue("code")).as("code: %s", r).isEqualTo(c.code());
    assertThat(body.getValue("message")).as("message: %s", r).isInstanceOf(String.class);
    String message = body.getString("message");
    assertThat(message).as("message: %s", r).isNotBlank();
    if (c.messageContains() != null) {
      assertThat(message).as("message names the field").contains(c.messageContains());
    }
    if (c.errorId() == null) {
      assertThat(body.containsKey("details")).as("no details: %s", r).isFalse();
      return;
    }
    assertThat(message).as("message ends with the id").endsWith(" (" + c.errorId() + ")");
    JsonArray details = body.getJsonArray("details");
    assertThat(details).as("details: %s", r).hasSize(1);
    JsonObject detail = details.getJsonObject(0);
    assertThat(detail.getString("@type")).isEqualTo(ERROR_DETAIL);
    assertThat(detail.getString("id")).isEqualTo(c.errorId());
    assertThat(detail.getString("message")).isNotBlank();
  }

  private static Http.Response send(BadRequest c) {
    TestGateway gw = c.tightGateway() ? tight : main;
    List<String> headers = new ArrayList<>(c.headers());
    String token = tokenOf(c.caller());
    if (token != null) {
      headers.add("authorization");
      headers.add("Bearer " + token);
    }
    if (c.raw()) {
      return RawHttp.send(
          gw.gateway().apiPort(),
          c.method(),
          c.target().getBytes(StandardCharsets.ISO_8859_1),
          headers,
          c.body(),
          c.chunked());
    }
    Http.Call call = gw.http().call(c.method(), c.target()).body(c.body());
    for (int i = 0; i < headers.size(); i += 2) {
      call.header(headers.get(i), headers.get(i + 1));
    }
    return call.send();
  }

  private static String tokenOf(Caller caller) {
    return switch (caller) {
      case ADMIN -> adminToken;
      case PLAIN_USER -> plainUserToken;
      case NONE -> null;
    };
  }

  private static void seed(TestGateway gw, Seed s) {
    JsonArray entries = new JsonArray();
    s.keys().forEach((k, v) -> entries.add(new JsonObject().put("key", k).put("value", v)));
    Http.Response r =
        gw.http()
            .call("POST", path(s.user(), "_bulk"))
            .token(rootToken)
            .header("x-zitadel-orgid", s.org())
            .body(new JsonObject().put("metadata", entries).encode())
            .send();
    assertThat(r.status()).as("seeding %s: %s", s.user(), r).isEqualTo(200);
  }

  /** The SQLite tables and, per seeded user, each key's Get answer and the full List answer. */
  private static Baseline baseline(TestGateway gw, List<Seed> seeds) {
    Map<String, String> api = new LinkedHashMap<>();
    for (Seed s : seeds) {
      for (String key : s.keys().keySet()) {
        api.put(s.org() + " GET " + key, read("GET", gw, s, UrlPath.encode(key)).toString());
      }
      api.put(s.org() + " LIST " + s.user(), read("POST", gw, s, "_search").toString());
    }
    return new Baseline(StoreSnapshot.of(gw.databaseFile()), api);
  }

  private static Http.Response read(String method, TestGateway gw, Seed s, String last) {
    Http.Response r =
        gw.http()
            .call(method, path(s.user(), last))
            .token(rootToken)
            .header("x-zitadel-orgid", s.org())
            .body(method.equals("POST") ? "{}" : null)
            .send();
    assertThat(r.status()).as("reading %s %s: %s", s.user(), last, r).isEqualTo(200);
    return r;
  }

  private static String path(String user, String last) {
    return "/management/v1/users/" + user + "/metadata/" + last;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
