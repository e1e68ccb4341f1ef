package io.federa.flow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.core.ErrorCode;
import io.federa.core.ErrorReport;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.io.AtomicFiles;
import io.federa.core.json.Json;
import io.federa.core.table.Table;
import io.federa.flow.job.JobStore;
import io.federa.flow.node.FlowNode;
import io.federa.flow.store.TableInfo;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (JSON), described by {@code /api/v1/openapi.json}. Every route but {@code
 * /health} and the OpenAPI document needs {@code Authorization: Bearer TOKEN}, the token in the
 * node's {@code data_dir/api.token}. It listens on the node's own machine (loopback by default);
 * other parties reach this node only through the federation.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final ObjectMapper JSON = Json.mapper();
  public static final String PREFIX = "/api/v1";

  private final Javalin app;

  private HttpApi(Javalin app) {
    this.app = app;
  }

  /** The node's token: read from {@code dataDir/api.token}, created (owner-only) the first time. */
  public static String token(Path dataDir) {
    Path file = dataDir.resolve("api.token");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(dataDir);
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      AtomicFiles.write(file, false, w -> w.write(token + "\n"));
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      return token;
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot read or create " + file, e);
    }
  }

  /** Serves {@code node}'s API on {@code host:port} (port 0: any free port). */
  public static HttpApi start(FlowNode node, String host, int port, String token) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    var routes = new Routes(node);
    Javalin app =
        Javalin.create(
            config -> {
              config.jetty.host = host;
              config.jetty.port = port;
              config.startup.showJavalinBanner = false;
              config.routes.before(
                  PREFIX + "/*",
                  ctx -> {
                    String path = ctx.path();
                    if (path.equals(PREFIX + "/health") || path.equals(PREFIX + "/openapi.json")) {
                      return;
                    }
                    String given = ctx.header("Authorization");
                    if (given == null
                        || !MessageDigest.isEqual(
                            expected, given.getBytes(StandardCharsets.UTF_8))) {
                      ctx.status(401);
                      reply(
                          ctx,
                          ErrorReport.user(
                                  ErrorCode.INVALID_ARGUMENT,
                                  "missing or wrong token",
                                  "send 'Authorization: Bearer TOKEN' with the token in the"
                                      + " node's data_dir/api.token")
                              .envelope());
                      ctx.skipRemainingHandlers();
                    }
                  });
              config.routes.exception(
                  FederaException.class,
                  (e, ctx) -> {
                    ctx.status(status(e.code()));
                    reply(ctx, ErrorReport.of(e).envelope());
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("HTTP {} {} failed", ctx.method(), ctx.path(), e);
                    ctx.status(500);
                    reply(ctx, ErrorReport.of(e).envelope());
                  });
              routes.register(config.routes);
            });
    app.start();
    LOG.info("party {} serves its HTTP API on {}:{}", node.self(), host, app.port());
    return new HttpApi(app);
  }

  public int port() {
    return app.port();
  }

  static int status(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> 404;
      case INVALID_ARGUMENT, INVALID_INPUT -> 400;
      case TIMEOUT -> 504;
      case IO_FAILURE, PROTOCOL, JOB_FAILED -> 502;
      case INTERNAL -> 500;
    };
  }

  static void reply(Context ctx, Object value) {
    try {
      ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new FederaException(ErrorCode.INTERNAL, "cannot write JSON", e);
    }
  }

  static JsonNode body(Context ctx) {
    try {
      JsonNode n = JSON.readTree(ctx.body());
      if (n == null || !n.isObject()) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "the request body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "the request body is not JSON: " + e.getMessage(), e);
    }
  }

  /** The routes, each a thin layer over {@link FlowNode}. */
  private record Routes(FlowNode node) {
    void register(io.javalin.config.RoutesConfig r) {
      r.get(PREFIX + "/health", ctx -> reply(ctx, Map.of("party_id", node.self(), "status", "ok")));
      r.get(PREFIX + "/openapi.json", this::openApi);
      r.get(PREFIX + "/tables", this::listTables);
      r.post(PREFIX + "/tables", this::upload);
      r.get(PREFIX + "/tables/{namespace}/{name}", ctx -> reply(ctx, tableInfo(ctx)));
      r.delete(
          PREFIX + "/tables/{namespace}/{name}",
          ctx -> {
            TableInfo info = tableInfo(ctx);
            node.tables().delete(info.namespace(), info.name());
            reply(ctx, Map.of("deleted", info.namespace() + "." + info.name()));
          });
      r.post(PREFIX + "/jobs", this::submit);
      r.get(
          PREFIX + "/jobs",
          ctx -> {
            int limit =
                Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("20"));
            List<Map<String, Object>> out = new ArrayList<>();
            for (JobStore.Job j : node.jobs().jobs(limit)) {
              out.add(job(j));
            }
            reply(ctx, Map.of("jobs", out));
          });
      r.get(PREFIX + "/jobs/{id}", this::query);
      r.post(
          PREFIX + "/jobs/{id}/stop",
          ctx -> {
            node.stop(ctx.pathParam("id"));
            reply(ctx, Map.of("job_id", ctx.pathParam("id"), "stopped", true));
          });
      r.post(
          PREFIX + "/jobs/{id}/rerun",
          ctx -> {
            String component = body(ctx).path("component").asText(null);
            if (component == null) {
              throw new FederaException(
                  ErrorCode.INVALID_ARGUMENT,
                  "give the component to rerun from: {\"component\": …}");
            }
            node.rerun(ctx.pathParam("id"), component);
            reply(ctx, Map.of("job_id", ctx.pathParam("id"), "rerun_from", component));
          });
      r.get(PREFIX + "/jobs/{id}/metrics", this::metrics);
      r.get(PREFIX + "/jobs/{id}/output-data/{component}", this::outputData);
      r.get(PREFIX + "/jobs/{id}/output-model/{component}", this::outputModel);
      r.get(
          PREFIX + "/jobs/{id}/logs",
          ctx -> {
            String party = ctx.queryParam("party");
            int p = party == null ? node.self() : Integer.parseInt(party);
            reply(ctx, Map.of("party_id", p, "lines", node.logs(ctx.pathParam("id"), p)));
          });
      r.get(
          PREFIX + "/jobs/{id}/audit",
          ctx -> {
            String party = ctx.queryParam("party");
            int p = party == null ? node.self() : Integer.parseInt(party);
            reply(
                ctx,
                Map.of(
                    "job_id",
                    ctx.pathParam("id"),
                    "party_id",
                    p,
                    "received",
                    node.audit(ctx.pathParam("id"), p)));
          });
      r.get(
          PREFIX + "/models",
          ctx -> reply(ctx, Map.of("models", node.jobs().models(ctx.queryParam("job_id")))));
      r.get(
          PREFIX + "/models/export",
          ctx ->
              ctx.contentType("application/zip")
                  .result(
                      node.models()
                          .exportModel(required(ctx, "model_id"), required(ctx, "model_version"))));
      r.post(
          PREFIX + "/models/import",
          ctx -> {
            ctx.status(201);
            reply(ctx, node.models().importModel(ctx.bodyAsBytes()));
          });
      r.post(
          PREFIX + "/models/deploy",
          ctx -> {
            JsonNode b = body(ctx);
            String id = b.path("model_id").asText();
            String version = b.path("model_version").asText();
            int n = node.jobs().deploy(id, version);
            if (n == 0) {
              throw new FederaException(
                  ErrorCode.NOT_FOUND,
                  "no model "
                      + id
                      + " version "
                      + version
                      + " at party "
                      + node.self()
                      + "; 'federa model list' shows them");
            }
            reply(ctx, Map.of("model_id", id, "model_version", version, "deployed", true));
          });
    }

    private static String required(Context ctx, String name) {
      String v = ctx.queryParam(name);
      if (v == null || v.isEmpty()) {
        throw new FederaException(ErrorCode.INVALID_ARGUMENT, "give ?" + name + "=…");
      }
      return v;
    }

    private void openApi(Context ctx) throws IOException {
      try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
        ctx.contentType("application/json").result(in.readAllBytes());
      }
    }

    private void listTables(Context ctx) {
      reply(ctx, Map.of("tables", node.tables().list(ctx.queryParam("namespace"))));
    }

    private TableInfo tableInfo(Context ctx) {
      String ns = ctx.pathParam("namespace");
      String name = ctx.pathParam("name");
      return node.tables()
          .info(ns, name)
          .orElseThrow(
              () ->
                  new FederaException(
                      ErrorCode.NOT_FOUND,
                      "no table "
                          + ns
                          + "."
                          + name
                          + " at party "
                          + node.self()
                          + "; 'federa table list' shows them"));
    }

    /** Stores a CSV file of the node's machine as a table. */
    private void upload(Context ctx) {
      JsonNode b = body(ctx);
      String file = b.path("file").asText(null);
      if (file == null) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "give the CSV file's path on this node: {\"file\": …}");
      }
      String label = b.path("label").asText(null);
      CsvOptions options =
          label == null ? CsvOptions.unlabeled() : CsvOptions.labeled().withLabelColumn(label);
      if (b.hasNonNull("id_column")) {
        options = options.withIdColumn(b.path("id_column").asText());
      }
      TableInfo info =
          node.tables()
              .upload(
                  Path.of(file),
                  b.path("namespace").asText(),
                  b.path("name").asText(),
                  options,
                  b.path("replace").asBoolean(false));
      ctx.status(201);
      reply(ctx, info);
    }

    private void submit(Context ctx) {
      JsonNode b = body(ctx);
      long t0 = System.nanoTime();
      FlowNode.Submitted submitted = node.submitJob(b.path("dsl"), b.path("conf"));
      ctx.status(201);
      var m = new LinkedHashMap<String, Object>();
      m.put("job_id", submitted.jobId());
      m.put("model_id", submitted.modelId());
      m.put("model_version", submitted.modelVersion());
      m.put("submit_ms", (System.nanoTime() - t0) / 1_000_000);
      reply(ctx, m);
    }

    private void query(Context ctx) {
      String id = ctx.pathParam("id");
      FlowNode.JobView view =
          node.query(id)
              .orElseThrow(
                  () ->
                      new FederaException(
                          ErrorCode.NOT_FOUND,
                          "no job "
                              + id
                              + " at party "
                              + node.self()
                              + "; 'federa job list' shows them"));
      Map<String, Object> m = job(view.job());
      m.put("tasks", view.tasks());
      reply(ctx, m);
    }

    private static Map<String, Object> job(JobStore.Job j) {
      var m = new LinkedHashMap<String, Object>();
      m.put("job_id", j.jobId());
      m.put("state", j.state().name().toLowerCase(java.util.Locale.ROOT));
      m.put("role", j.role());
      m.put("initiator", j.initiator());
      m.put("error", j.error());
      m.put("created_at", j.createdAt());
      m.put("started_at", j.startedAt());
      m.put("ended_at", j.endedAt());
      return m;
    }

    private void metrics(Context ctx) {
      String id = ctx.pathParam("id");
      reply(
          ctx,
          Map.of("job_id", id, "metrics", node.jobs().metrics(id, ctx.queryParam("component"))));
    }

    /** The first rows of a component's output table (this party's), and its size. */
    private void outputData(Context ctx) {
      String id = ctx.pathParam("id");
      String component = ctx.pathParam("component");
      String ns = FlowNode.outputNamespace(id);
      if (node.tables().info(ns, component).isEmpty()) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "component "
                + component
                + " of job "
                + id
                + " has no output data at party "
                + node.self());
      }
      Table t = node.tables().read(ns, component);
      int limit = Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("10"));
      List<String> columns = new ArrayList<>();
      columns.add(t.schema().idName());
      if (t.hasLabel()) {
        columns.add(t.schema().labelName());
      }
      columns.addAll(t.schema().featureNames());
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < Math.min(limit, t.rows()); i++) {
        List<Object> row = new ArrayList<>();
        row.add(t.id(i));
        if (t.hasLabel()) {
          row.add(t.label(i));
        }
        for (int f = 0; f < t.features(); f++) {
          row.add(t.value(i, f));
        }
        rows.add(row);
      }
      reply(
          ctx,
          Map.of(
              "table", ns + "." + component, "total", t.rows(), "columns", columns, "rows", rows));
    }

    private void outputModel(Context ctx) throws IOException {
      String id = ctx.pathParam("id");
      String component = ctx.pathParam("component");
      for (JobStore.ModelPart m : node.jobs().models(id)) {
        if (m.component().equals(component)) {
          ctx.contentType("application/json")
              .result(Files.readAllBytes(node.dataDir().resolve(m.file())));
          return;
        }
      }
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          "component "
              + component
              + " of job "
              + id
              + " has no model part at party "
              + node.self());
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
