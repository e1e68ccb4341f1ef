package io.federa.flow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private FlowNode node;
  private HttpApi api;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    node = new FlowNode(InProcessFederation.network().party(9999), dir, null, 1);
    token = HttpApi.token(dir);
    api =
        HttpApi.start(
            node, "127.0.0.1", 0, token, new UploadPolicy(java.util.List.of(DATA), 1L << 30));
  }

  @AfterEach
  void stop() {
    api.close();
    node.close();
  }

  private HttpResponse<String> call(String method, String path, String body, String auth)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1" + path))
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
  void theTokenIsRequired_exceptForHealthAndTheOpenApiDocument() throws Exception {
    assertEquals(200, call("GET", "/health", null, null).statusCode());
    JsonNode openApi = JSON.readTree(call("GET", "/openapi.json", null, null).body());
    assertTrue(openApi.path("paths").has("/jobs/{id}"));
    HttpResponse<String> denied = call("GET", "/jobs", null, null);
    assertEquals(401, denied.statusCode());
    assertTrue(denied.body().contains("api.token"), denied.body());
    assertEquals(401, call("GET", "/jobs", null, token + "x").statusCode());
    assertEquals(200, call("GET", "/jobs", null, token).statusCode());
    assertTrue(Files.readString(dir.resolve("api.token")).trim().equals(token));
  }

  @Test
  void uploadThenInfo_andErrorsCarryTheirCauseAndStatus() throws Exception {
    String body =
        JSON.writeValueAsString(
            java.util.Map.of(
                "file", DATA.resolve("breast_hetero_guest.csv").toString(),
                "namespace", "experiment",
                "name", "breast_guest",
                "label", "y"));
    HttpResponse<String> up = call("POST", "/tables", body, token);
    assertEquals(201, up.statusCode(), up.body());
    JsonNode info =
        JSON.readTree(call("GET", "/tables/experiment/breast_guest", null, token).body());
    assertEquals(569, info.path("rows").asInt());
    HttpResponse<String> missing = call("GET", "/tables/experiment/nope", null, token);
    assertEquals(404, missing.statusCode());
    assertEquals("NOT_FOUND", JSON.readTree(missing.body()).path("error").path("code").asText());
    HttpResponse<String> bad = call("POST", "/jobs", "{\"dsl\":{},\"conf\":{}}", token);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("dsl.components"), bad.body());
    assertEquals(400, call("POST", "/jobs", "not json", token).statusCode());
  }

  /** Hardening finding 9: a port in use is named, with the fix, not a stack trace. */
  @Test
  void aSecondApiOnTheSamePort_isRefusedNamingThePort() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.federa.core.FederaException.class,
            () -> HttpApi.start(node, "127.0.0.1", api.port(), token));
    assertTrue(e.getMessage().contains(":" + api.port() + ": the port is in use"), e.getMessage());
    assertTrue(e.getMessage().contains("http.port"), e.getMessage());
  }
}
