package io.federa.flow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.federation.InProcessFederation;
import io.federa.flow.job.State;
import io.federa.flow.node.FlowNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board's routes: its files are served (and nothing else of the node), its data only with the
 * token, a login link works once, the jobs list filters a store of 1,000 jobs, and every module's
 * "What each party learns" text is found in the docs packed in the jar.
 */
class BoardRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES =
      Path.of(System.getProperty("federa.data.dir")).resolveSibling("federa");

  @TempDir Path dir;
  private FlowNode node;
  private HttpApi api;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    node = new FlowNode(InProcessFederation.network().party(9999), dir.resolve("node"), null, 1);
    token = HttpApi.token(dir.resolve("node"));
    api = HttpApi.start(node, "127.0.0.1", 0, token);
  }

  @AfterEach
  void stop() {
    api.close();
    node.close();
  }

  private HttpResponse<String> send(String method, String path, String body, boolean withToken)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (withToken) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theAppsFilesAreServed_andNothingElse() throws Exception {
    HttpResponse<String> index = http.send(get("/board/"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\">"));
    assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("'self'"));
    HttpResponse<String> bare = http.send(get("/board"), HttpResponse.BodyHandlers.ofString());
    assertEquals(302, bare.statusCode());
    assertEquals("/board/", bare.headers().firstValue("Location").orElse(""));
    for (String f : List.of("app.js", "job.js", "uPlot.esm.js", "board.css", "uPlot.LICENSE.txt")) {
      HttpResponse<String> r = http.send(get("/board/" + f), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), f);
    }
    for (String f :
        List.of("api.token", "..%2Fapi.token", "docs", "vertical-fl.md", "BoardRoutes.class")) {
      HttpResponse<String> r = http.send(get("/board/" + f), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode(), f);
      assertFalse(r.body().contains(token), f);
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build();
  }

  @Test
  void itsRoutesAreInTheOpenApiDocument_theLoginWithoutAToken() throws Exception {
    JsonNode paths =
        JSON.readTree(send("GET", "/api/v1/openapi.json", null, false).body()).path("paths");
    for (String p :
        List.of(
            "/board/login",
            "/board/links",
            "/board/jobs",
            "/board/jobs/{id}/dag",
            "/board/jobs/{id}/outputs/{component}",
            "/board/learns/{module}")) {
      assertTrue(paths.has(p), p);
    }
    assertEquals("[]", paths.at("/~1board~1login/post/security").toString());
  }

  @Test
  void itsDataNeedsTheToken() throws Exception {
    for (String path :
        List.of(
            "/api/v1/board/jobs",
            "/api/v1/board/jobs/20261202000000000001/dag",
            "/api/v1/board/jobs/20261202000000000001/outputs/reader_0",
            "/api/v1/board/learns/HeteroLR")) {
      assertEquals(401, send("GET", path, null, false).statusCode(), path);
    }
    assertEquals(401, send("POST", "/api/v1/board/links", "{}", false).statusCode());
  }

  @Test
  void aLoginLinkWorksOnce() throws Exception {
    HttpResponse<String> link = send("POST", "/api/v1/board/links", "{}", true);
    assertEquals(200, link.statusCode(), link.body());
    String code = JSON.readTree(link.body()).get("code").asText();
    assertTrue(code.length() >= 40, "256 random bits");
    String body = "{\"code\":\"" + code + "\"}";
    HttpResponse<String> first = send("POST", "/api/v1/board/login", body, false);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals(token, JSON.readTree(first.body()).get("token").asText());
    HttpResponse<String> again = send("POST", "/api/v1/board/login", body, false);
    assertEquals(401, again.statusCode());
    assertTrue(again.body().contains("used already or has expired"), again.body());
    assertTrue(again.body().contains("federa board link"), again.body());
    assertFalse(again.body().contains(token));
    assertEquals(401, send("POST", "/api/v1/board/login", "{\"code\":\"x\"}", false).statusCode());
    assertTrue(api.boardLink().matches("http://127\\.0\\.0\\.1:\\d+/board/#code=[\\w-]{43}"));
  }

  @Test
  void aCodeExpiresAfterTenMinutes_andAtMostAHundredAreOpen() {
    var now = new Instant[] {Instant.parse("2026-12-04T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now[0];
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    BoardLogin login = new BoardLogin("T", clock);
    String late = login.issue();
    String fresh = login.issue();
    now[0] = now[0].plus(BoardLogin.VALID).plusSeconds(1);
    assertNull(login.redeem(late));
    String third = login.issue();
    assertEquals("T", login.redeem(third));
    assertNull(login.redeem(fresh), "expired too");
    String first = login.issue();
    for (int i = 0; i < 100; i++) {
      login.issue();
    }
    assertNull(login.redeem(first), "the oldest of more than 100 open codes went");
  }

  @Test
  void theJobsList_filtersAThousandJobs_byStateRoleModuleAndDate() throws Exception {
    String lr = Files.readString(EXAMPLES.resolve("hetero_lr_dsl.json"));
    String lrConf = Files.readString(EXAMPLES.resolve("hetero_lr_conf.json"));
    String sbt = Files.readString(EXAMPLES.resolve("hetero_secureboost_dsl.json"));
    String sbtConf = Files.readString(EXAMPLES.resolve("hetero_secureboost_conf.json"));
    for (int i = 0; i < 1000; i++) {
      String id = String.format("2026120400%010d", i);
      boolean boost = i % 4 == 0;
      node.jobs()
          .createJob(
              id, i % 2 == 0 ? "guest" : "host", 9999, boost ? sbt : lr, boost ? sbtConf : lrConf);
      if (i % 10 == 0) {
        node.jobs().setJobState(id, State.FAILED, "party 10000: test");
      }
    }
    JsonNode all = list("");
    assertEquals(1000, all.get("matched").asInt());
    assertEquals(200, all.get("jobs").size(), "the default page");
    assertEquals(100, list("?state=failed").get("matched").asInt());
    assertEquals(500, list("?role=host").get("matched").asInt());
    assertEquals(250, list("?module=HeteroSecureBoost").get("matched").asInt());
    assertEquals(750, list("?module=heterolr").get("matched").asInt(), "any case");
    assertEquals(
        50, list("?state=failed&module=HeteroSecureBoost&limit=10").get("matched").asInt());
    assertEquals(0, list("?since=2999-01-01").get("matched").asInt());
    JsonNode one = list("?limit=1").get("jobs").get(0);
    assertTrue(one.get("modules").toString().contains("Intersection"), one.toString());
    assertEquals("2026120400" + "0000000999", one.get("job_id").asText(), "newest first, flat");
    assertEquals("host", one.get("role").asText());
    assertEquals("waiting", one.get("state").asText());
    HttpResponse<String> bad = send("GET", "/api/v1/board/jobs?limit=0", null, true);
    assertEquals(400, bad.statusCode());
  }

  private JsonNode list(String query) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/board/jobs" + query, null, true);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void aJobsDag_hasItsComponentsInputsAndParameters() throws Exception {
    String id = "20261204000000000001";
    node.jobs()
        .createJob(
            id,
            "guest",
            9999,
            Files.readString(EXAMPLES.resolve("hetero_lr_dsl.json")),
            Files.readString(EXAMPLES.resolve("hetero_lr_conf.json")));
    HttpResponse<String> r = send("GET", "/api/v1/board/jobs/" + id + "/dag", null, true);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode dag = JSON.readTree(r.body());
    JsonNode lr = dag.get("components").get(3);
    assertEquals("hetero_lr_0", lr.get("name").asText());
    assertEquals("HeteroLR", lr.get("module").asText());
    assertEquals("[\"intersection_0\"]", lr.get("upstream").toString());
    assertEquals(
        2048, lr.get("parameters").get("9999").get("encrypt_param").get("key_length").asInt());
    assertEquals("[10001]", dag.get("roles").get("arbiter").toString());
    HttpResponse<String> out =
        send("GET", "/api/v1/board/jobs/" + id + "/outputs/hetero_lr_0", null, true);
    assertEquals(200, out.statusCode(), out.body());
    assertTrue(JSON.readTree(out.body()).get("data").isNull(), "nothing ran");
  }

  @Test
  void everyModuleWithADocHasItsWhatEachPartyLearnsText() {
    for (String module : PartyLearns.WHERE.keySet()) {
      List<PartyLearns.Text> texts = PartyLearns.of(module);
      assertEquals(1, texts.size(), module);
      String text = texts.get(0).text();
      assertTrue(text.length() > 40, module + ": " + text);
      assertFalse(text.contains("\n## "), module + " stops at the next section: " + text);
    }
    assertTrue(PartyLearns.of("Reader").isEmpty());
    assertNotNull(PartyLearns.of("flow").get(0).text());
    assertTrue(
        PartyLearns.of("HeteroLR").get(0).text().contains("| arbiter |"),
        "the table of the LR section");
    assertTrue(
        PartyLearns.of("HeteroFeatureBinning").get(0).text().contains("WOE"),
        "the bold paragraph and its bullets");
  }
}
