package io.federa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.ErrorReport;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The CLI's client of a node's HTTP API: its address and token come from the node's node.yaml. */
public final class NodeApi {
  private final String base;
  private final String token;
  private final int party;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private NodeApi(String base, String token, int party) {
    this.base = base;
    this.token = token;
    this.party = party;
  }

  public static NodeApi of(Path nodeYaml) {
    NodeConfig c = NodeConfig.load(nodeYaml);
    Path tokenFile = c.dataPath().resolve("api.token");
    String token = System.getenv("FEDERA_TOKEN");
    if (token == null) {
      try {
        token = Files.readString(tokenFile).trim();
      } catch (IOException e) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "no API token at "
                + tokenFile
                + "; start the node first ('federa node start --conf "
                + nodeYaml
                + "') or set FEDERA_TOKEN");
      }
    }
    NodeConfig.Address a = c.httpAddress();
    return new NodeApi("http://" + a.host() + ":" + a.port() + "/api/v1", token, c.partyId());
  }

  /** A one-time login link to the node's board (good once, for ten minutes). */
  public String boardLink() {
    String code = post("/board/links", java.util.Map.of()).path("code").asText();
    return base.substring(0, base.length() - "/api/v1".length()) + "/board/#code=" + code;
  }

  /** A one-time login link that opens a job's page on the board. */
  public String boardLink(String jobId) {
    return boardLink() + "&to=/jobs/" + jobId;
  }

  /**
   * The node's API when its node is running (it answers its health check), else empty: commands
   * that can also work on the node's store directly (upload, table) use the API when they can.
   */
  public static java.util.Optional<NodeApi> ifRunning(Path nodeYaml) {
    try {
      NodeApi api = of(nodeYaml);
      api.get("/health");
      return java.util.Optional.of(api);
    } catch (FederaException e) {
      return java.util.Optional.empty();
    }
  }

  /** A table's info as the API returns it. */
  public static io.federa.flow.store.TableInfo table(JsonNode json) {
    try {
      return Json.mapper().treeToValue(json, io.federa.flow.store.TableInfo.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FederaException(ErrorCode.PROTOCOL, "the node sent a malformed table info", e);
    }
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
  }

  public JsonNode post(String path, Object body) {
    return post(URI.create(base + path), path, body);
  }

  /** A prediction of a service at this node ({@code POST /v1/predict/SERVICE}). */
  public JsonNode predict(String service, Object body) {
    String root = base.substring(0, base.length() - "/api/v1".length());
    return post(URI.create(root + "/v1/predict/" + service), "/v1/predict/" + service, body);
  }

  private JsonNode post(URI uri, String path, Object body) {
    try {
      return send(
          HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))),
          path);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FederaException(ErrorCode.INTERNAL, "cannot write the request", e);
    }
  }

  /** The answer to GET {@code path} as a {@code type} (one of the API's reply records). */
  public <T> T get(String path, Class<T> type) {
    return as(get(path), type, path);
  }

  /** The answer to POST {@code path} as a {@code type}. */
  public <T> T post(String path, Object body, Class<T> type) {
    return as(post(path, body), type, path);
  }

  private <T> T as(JsonNode reply, Class<T> type, String path) {
    try {
      return Json.mapper().treeToValue(reply, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          base + path + " answered what is not a " + type.getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  /** A binary answer (a model archive). */
  public byte[] getBytes(String path) {
    HttpResponse<byte[]> r =
        exchange(
            HttpRequest.newBuilder(URI.create(base + path)).GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() >= 300) {
      throw error(
          r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), path);
    }
    return r.body();
  }

  /**
   * Uploads a CSV file by streaming its content (the node may be on another machine, and reads no
   * file by path unless its uploads.dirs allow it); {@code query} holds the table's names.
   */
  public JsonNode postCsv(String path, java.util.Map<String, String> query, Path file) {
    StringBuilder q = new StringBuilder();
    query.forEach(
        (k, v) -> {
          if (v != null) {
            q.append(q.length() == 0 ? '?' : '&')
                .append(k)
                .append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
          }
        });
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (java.io.FileNotFoundException e) {
      throw new FederaException(ErrorCode.NOT_FOUND, file + ": no such file; check the path");
    }
    return send(
        HttpRequest.newBuilder(URI.create(base + path + q))
            .header("Content-Type", "text/csv")
            .POST(body),
        path);
  }

  /** Posts bytes (a model archive). */
  public JsonNode postBytes(String path, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/zip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        path);
  }

  public JsonNode delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), path);
  }

  /** The answer to DELETE {@code path} as a {@code type}. */
  public <T> T delete(String path, Class<T> type) {
    return as(delete(path), type, path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) {
    HttpResponse<String> r = exchange(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw error(r.statusCode(), r.body(), path);
    }
    try {
      return Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.PROTOCOL, base + path + " answered " + r.statusCode() + " without JSON", e);
    }
  }

  /** The node's error reply ({@link ErrorReport}) as the exception it stands for. */
  private FederaException error(int status, String text, String path) {
    try {
      ErrorReport report = Json.mapper().readValue(text, ErrorReport.Envelope.class).error();
      if (report != null && report.code() != null) {
        return report.toException("");
      }
    } catch (IOException e) {
      // not an error reply: below
    }
    return new FederaException(
        ErrorCode.PROTOCOL, base + path + " answered " + status + ": " + text);
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(
          request.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).build(),
          handler);
    } catch (ConnectException e) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "party "
              + party
              + "'s node does not answer at "
              + base
              + "; start it with 'federa node start --conf node.yaml'");
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, "cannot reach party " + party + "'s node at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederaException(ErrorCode.TIMEOUT, "interrupted", e);
    }
  }
}
