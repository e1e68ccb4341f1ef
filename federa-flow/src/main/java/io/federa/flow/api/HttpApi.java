package io.federa.flow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.core.ErrorCode;
import io.federa.core.ErrorReport;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.io.AtomicFiles;
import io.federa.core.json.Json;
import io.federa.flow.node.FlowNode;
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
import java.util.Base64;
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
  private final BoardLogin login;
  private final String host;

  private HttpApi(Javalin app, BoardLogin login, String host) {
    this.app = app;
    this.login = login;
    this.host = host;
  }

  /** The node's token: read from {@code dataDir/api.token}, created (owner-only) the first time. */
  public static String token(Path dataDir) {
    return secret(dataDir.resolve("api.token"));
  }

  /**
   * The token of serving's clients ({@code dataDir/serving.token}, created like the node's): good
   * for {@code POST /v1/predict/…} and {@code /metrics} only, never for the node's API.
   */
  public static String servingToken(Path dataDir) {
    return secret(dataDir.resolve("serving.token"));
  }

  private static String secret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      io.federa.core.io.AtomicFiles.createDirectories(file.getParent());
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

  /**
   * Serves {@code node}'s API on {@code host:port} (port 0: any free port), streamed uploads only.
   */
  public static HttpApi start(FlowNode node, String host, int port, String token) {
    return start(node, host, port, token, UploadPolicy.STREAMED_ONLY);
  }

  /** As {@link #start(FlowNode, String, int, String)}, with node.yaml's upload policy. */
  public static HttpApi start(
      FlowNode node, String host, int port, String token, UploadPolicy uploads) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    byte[] serving = ("Bearer " + servingToken(node.dataDir())).getBytes(StandardCharsets.UTF_8);
    BoardLogin login = new BoardLogin(token, java.time.Clock.systemUTC());

    Javalin app =
        Javalin.create(
            config -> {
              config.jetty.host = host;
              config.jetty.port = port;
              config.startup.showJavalinBanner = false;
              // bodies read whole (JSON, model archives); CSV uploads are streamed, bounded apart
              config.http.maxRequestSize = 64L << 20;
              config.routes.before(
                  PREFIX + "/*",
                  ctx -> {
                    String path = ctx.path();
                    if (path.equals(PREFIX + "/health")
                        || path.equals(PREFIX + "/openapi.json")
                        || path.equals(BoardRoutes.LOGIN)) {
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
              // serving's clients: the node's token or the serving token (prediction, metrics)
              for (String path :
                  new String[] {ServingRoutes.PREDICT + "/*", ServingRoutes.METRICS}) {
                config.routes.before(
                    path,
                    ctx -> {
                      byte[] given =
                          String.valueOf(ctx.header("Authorization"))
                              .getBytes(StandardCharsets.UTF_8);
                      if (!MessageDigest.isEqual(expected, given)
                          && !MessageDigest.isEqual(serving, given)) {
                        ctx.status(401);
                        reply(
                            ctx,
                            ErrorReport.user(
                                    ErrorCode.INVALID_ARGUMENT,
                                    "missing or wrong token",
                                    "send 'Authorization: Bearer TOKEN' with the token in the"
                                        + " node's data_dir/serving.token")
                                .envelope());
                        ctx.skipRemainingHandlers();
                      }
                    });
              }
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
              register(config.routes, node, uploads, login);
            });
    try {
      app.start();
    } catch (RuntimeException e) {
      if (causedByBind(e)) {
        throw new FederaException(
            ErrorCode.IO_FAILURE,
            "the HTTP API cannot listen on "
                + host
                + ":"
                + port
                + ": the port is in use (another node or program); stop it, or set http.port in"
                + " node.yaml to a free port",
            e);
      }
      throw e;
    }
    LOG.info("party {} serves its HTTP API on {}:{}", node.self(), host, app.port());
    return new HttpApi(app, login, host);
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return app.port();
  }

  /** A one-time login link to this node's board (good once, for ten minutes). */
  public String boardLink() {
    return boardLink(host, app.port(), login.issue());
  }

  /** The board's address on {@code host:port} with a one-time code from its node. */
  public static String boardLink(String host, int port, String code) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://"
        + (shown.contains(":") ? "[" + shown + "]" : shown)
        + ":"
        + port
        + "/board/#code="
        + code;
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

  /**
   * A path parameter that names something (a job, a component, a table): checked by {@link Names}.
   */
  static String name(Context ctx, String param, String what) {
    return Names.require(what, ctx.pathParam(param));
  }

  /** An integer query parameter in [{@code min}, {@code max}], else a 400 naming it. */
  static int number(Context ctx, String param, int dflt, int min, int max) {
    String v = ctx.queryParam(param);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new FederaException(
        ErrorCode.INVALID_ARGUMENT,
        "?" + param + "= takes an integer from " + min + " to " + max + ", got " + Names.shown(v));
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

  /** Registers every route: each a thin layer over {@link FlowNode}. */
  private static void register(
      io.javalin.config.RoutesConfig r, FlowNode node, UploadPolicy uploads, BoardLogin login) {
    r.get(PREFIX + "/health", ctx -> reply(ctx, Map.of("party_id", node.self(), "status", "ok")));
    r.get(PREFIX + "/openapi.json", HttpApi::openApi);
    new TableRoutes(node, uploads).register(r);
    new JobRoutes(node).register(r);
    new ModelRoutes(node).register(r);
    new BoardRoutes(node, login).register(r);
    new ServingRoutes(node).register(r);
  }

  private static void openApi(Context ctx) throws IOException {
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
