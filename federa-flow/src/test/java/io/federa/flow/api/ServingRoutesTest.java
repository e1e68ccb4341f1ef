package io.federa.flow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.federation.InProcessFederation;
import io.federa.flow.node.FlowNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving's HTTP routes on one node: the serving token opens predictions and metrics and nothing
 * else; bad requests, unknown services and bad deployments are refused naming the cause; the routes
 * are in the OpenAPI document. (Predictions themselves: {@code ServingFlowTest}.)
 */
class ServingRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private FlowNode node;
  private HttpApi api;
  private String token;
  private String serving;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    node = new FlowNode(InProcessFederation.network().party(9999), dir, null, 1);
    token = HttpApi.token(dir);
    api = HttpApi.start(node, "127.0.0.1", 0, token);
    serving = HttpApi.servingToken(dir);
  }

  @AfterEach
  void stop() {
    api.close();
    node.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String auth)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", "Bearer " + auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theServingTokenOpensPredictionsAndMetricsOnly() throws Exception {
    assertNotEquals(token, serving);
    assertEquals("rw-------", posix(dir.resolve("serving.token")));
    String one = "{\"id\": \"7\", \"features\": {\"x0\": 1.0}}";
    assertEquals(401, send("POST", "/v1/predict/loan", one, null).statusCode());
    assertEquals(401, send("POST", "/v1/predict/loan", one, serving + "x").statusCode());
    for (String auth : List.of(serving, token)) {
      HttpResponse<String> r = send("POST", "/v1/predict/loan", one, auth);
      assertEquals(404, r.statusCode(), r.body());
      assertTrue(r.body().contains("federa serving status"), r.body());
      assertEquals(200, send("GET", "/metrics", null, auth).statusCode());
    }
    assertTrue(
        send("GET", "/metrics", null, serving)
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("text/plain"));
    for (String path : List.of("/api/v1/jobs", "/api/v1/serving", "/api/v1/models")) {
      assertEquals(401, send("GET", path, null, serving).statusCode(), path);
    }
    assertEquals(200, send("GET", "/api/v1/serving", null, token).statusCode());
    HttpResponse<String> figures = send("GET", "/api/v1/serving/figures", null, token);
    assertEquals("{\"figures\":[]}", figures.body());
    assertEquals(401, send("GET", "/api/v1/serving/figures", null, serving).statusCode());
    HttpResponse<String> deploy =
        send(
            "POST",
            "/api/v1/models/deploy",
            "{\"model_id\": \"m\", \"model_version\": \"v\", \"service\": \"loan\"}",
            serving);
    assertEquals(401, deploy.statusCode());
  }

  @Test
  void badRequestsAndDeploymentsNameTheCause() throws Exception {
    HttpResponse<String> notJson = send("POST", "/v1/predict/loan", "{", serving);
    assertEquals(400, notJson.statusCode());
    HttpResponse<String> hostile = send("POST", "/v1/predict/..%2Fetc", "{}", serving);
    assertTrue(hostile.statusCode() == 400 || hostile.statusCode() == 404, hostile.body());
    HttpResponse<String> noModel =
        send(
            "POST",
            "/api/v1/models/deploy",
            "{\"model_id\": \"arbiter-10001#guest-9999#host-10000_model\", \"model_version\":"
                + " \"v1\", \"service\": \"loan\"}",
            token);
    assertEquals(404, noModel.statusCode(), noModel.body());
    assertTrue(noModel.body().contains("holds no servable part"), noModel.body());
    HttpResponse<String> notGuest =
        send(
            "POST",
            "/api/v1/models/deploy",
            "{\"model_id\": \"arbiter-10001#guest-10002#host-10003_model\", \"model_version\":"
                + " \"v1\", \"service\": \"loan\"}",
            token);
    assertEquals(400, notGuest.statusCode(), notGuest.body());
    assertTrue(notGuest.body().contains("takes no part"), notGuest.body());
    HttpResponse<String> rollback = send("POST", "/api/v1/serving/loan/rollback", "{}", token);
    assertEquals(404, rollback.statusCode(), rollback.body());
  }

  @Test
  void itsRoutesAreInTheOpenApiDocument() throws Exception {
    JsonNode doc = JSON.readTree(send("GET", "/api/v1/openapi.json", null, null).body());
    for (String p :
        List.of("/v1/predict/{service}", "/metrics", "/serving", "/serving/{service}/rollback")) {
      assertTrue(doc.path("paths").has(p), p);
    }
    assertEquals("/", doc.at("/paths/~1metrics/servers/0/url").asText());
    assertTrue(
        doc.at(
                "/paths/~1models~1deploy/post/requestBody/content/application~1json/schema/properties")
            .has("policy"));
  }

  private static String posix(Path file) throws Exception {
    return java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file));
  }
}
