package io.federa.flow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.federation.InProcessFederation;
import io.federa.flow.node.FlowNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a token holder (or a careless script) sends that the API must refuse with a 4xx and its
 * cause, never a 500, never a file outside the data directory, never a file's content (hardening
 * findings 5, 6, 9 and 11).
 */
class HostileRequestsTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HOSTILE =
      List.of("..", ".", "/", "%2F", "..%2F..%2Fsecret", "a\u0000b", "x".repeat(1000), "-rf");

  @TempDir Path dir;
  private Path data;
  private FlowNode node;
  private HttpApi api;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    data = dir.resolve("node");
    node = new FlowNode(InProcessFederation.network().party(9999), data, null, 1);
    token = HttpApi.token(data);
    api = HttpApi.start(node, "127.0.0.1", 0, token, new UploadPolicy(List.of(DATA), 1L << 20));
    // a readable *.log and a secret outside the data directory
    Files.writeString(dir.resolve("secret.log"), "SECRET-LINE");
  }

  @AfterEach
  void stop() {
    api.close();
    node.close();
  }

  private HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1" + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
    // a POST or DELETE on its own connection: the server may close a kept-alive connection after
    // refusing a hostile request, and the JDK client retries only idempotent requests on a
    // connection that closed under it
    HttpClient client = method.equals("GET") ? http : HttpClient.newHttpClient();
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> csv(String query, HttpRequest.BodyPublisher body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/api/v1/tables" + query))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv")
                .POST(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return s.startsWith("%") || s.contains("%2F")
        ? s
        : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void refused(HttpResponse<String> r, String what) {
    assertTrue(
        r.statusCode() >= 400 && r.statusCode() < 500,
        what + " answered " + r.statusCode() + ": " + r.body());
    assertFalse(r.body().contains("SECRET"), what + " echoed a file: " + r.body());
  }

  @Test
  void everyIdBearingRoute_refusesHostileIdsWithA4xx() throws Exception {
    for (String bad : HOSTILE) {
      String id = enc(bad);
      for (String path :
          List.of(
              "/jobs/" + id,
              "/jobs/" + id + "/logs",
              "/jobs/" + id + "/audit",
              "/jobs/" + id + "/metrics",
              "/jobs/" + id + "/output-data/reader_0",
              "/jobs/20261202000000000001/output-data/" + id,
              "/jobs/" + id + "/output-model/hetero_lr_0",
              "/tables/" + id + "/t",
              "/tables/experiment/" + id,
              "/board/jobs/" + id + "/dag",
              "/board/jobs/" + id + "/outputs/reader_0",
              "/board/jobs/20261202000000000001/outputs/" + id,
              "/board/learns/" + id)) {
        refused(call("GET", path, null), "GET " + path);
      }
      refused(call("POST", "/jobs/" + id + "/stop", null), "stop " + bad);
      refused(call("DELETE", "/tables/" + id + "/t", null), "delete " + bad);
      refused(
          csv("?namespace=" + id + "&name=t", HttpRequest.BodyPublishers.ofString("id,x\n1,2\n")),
          "upload into namespace " + bad);
    }
    try (var files = Files.walk(dir)) {
      assertTrue(
          files
              .filter(Files::isRegularFile)
              .allMatch(p -> p.startsWith(data) || p.getFileName().toString().equals("secret.log")),
          "nothing was written outside the data directory");
    }
  }

  @Test
  void badQueryNumbers_areA400NamingTheParameter() throws Exception {
    for (String q : List.of("/jobs?limit=99999999999", "/jobs?limit=abc", "/jobs?limit=0")) {
      HttpResponse<String> r = call("GET", q, null);
      assertEquals(400, r.statusCode(), q + ": " + r.body());
      assertTrue(r.body().contains("?limit="), r.body());
    }
    for (String route : List.of("logs", "audit")) {
      String q = "/jobs/20261202000000000001/" + route + "?party=abc";
      HttpResponse<String> r = call("GET", q, null);
      assertEquals(400, r.statusCode(), q + ": " + r.body());
      assertTrue(r.body().contains("?party="), r.body());
    }
  }

  @Test
  void filesByPath_onlyFromTheUploadDirectories_andNeverEchoed() throws Exception {
    for (String file :
        List.of(
            dir.resolve("secret.log").toString(),
            data.resolve("api.token").toString(),
            "/etc/passwd",
            "/dev/zero",
            DATA + "/../../pom.xml")) {
      String body = JSON.writeValueAsString(Map.of("file", file, "namespace", "e", "name", "t"));
      HttpResponse<String> r = call("POST", "/tables", HttpRequest.BodyPublishers.ofString(body));
      refused(r, "upload of " + file);
      assertTrue(r.body().contains("uploads.dirs"), r.body());
    }
    String ok =
        JSON.writeValueAsString(
            Map.of(
                "file", DATA.resolve("breast_hetero_host.csv").toString(),
                "namespace", "e",
                "name", "host"));
    assertEquals(
        201, call("POST", "/tables", HttpRequest.BodyPublishers.ofString(ok)).statusCode());
  }

  @Test
  void aStreamedUpload_overTheLimit_isRefusedAndLeavesNothing() throws Exception {
    HttpResponse<String> small =
        csv(
            "?namespace=e&name=small&label=y",
            HttpRequest.BodyPublishers.ofFile(DATA.resolve("breast_hetero_guest.csv")));
    assertEquals(201, small.statusCode(), small.body());
    assertEquals(569, JSON.readTree(small.body()).path("rows").asInt());
    byte[] big = new byte[(1 << 20) + 10];
    java.util.Arrays.fill(big, (byte) '1');
    HttpResponse<String> r =
        csv("?namespace=e&name=big", HttpRequest.BodyPublishers.ofByteArray(big));
    refused(r, "an upload over the limit");
    assertTrue(r.body().contains("uploads.max_mb"), r.body());
    try (var left = Files.list(data.resolve("uploads"))) {
      assertEquals(0, left.count(), "the partial upload is removed");
    }
  }

  @Test
  void logsMetricsAuditAndStopOfAJobThatDoesNotExist_are404() throws Exception {
    for (String path :
        List.of(
            "/jobs/20261202000000000001/logs",
            "/jobs/20261202000000000001/metrics",
            "/jobs/20261202000000000001/audit")) {
      HttpResponse<String> r = call("GET", path, null);
      assertEquals(404, r.statusCode(), path + ": " + r.body());
    }
    assertEquals(404, call("POST", "/jobs/20261202000000000001/stop", null).statusCode());
    JsonNode health = JSON.readTree(call("GET", "/health", null).body());
    assertEquals(9999, health.path("party_id").asInt());
  }
}
