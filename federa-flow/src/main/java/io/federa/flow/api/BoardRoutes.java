package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.name;
import static io.federa.flow.api.HttpApi.number;
import static io.federa.flow.api.HttpApi.reply;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.ErrorReport;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.json.Json;
import io.federa.flow.dsl.ValidatedJob;
import io.federa.flow.job.JobStore;
import io.federa.flow.node.FlowNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The board: the web dashboard under {@code /board/} (static files of a single-page app, no data)
 * and the few API routes made for it — jobs filtered with their modules, a job's DAG with each
 * component's parameters as run, and the exchange of a one-time login link for the node's token.
 * Every data route is behind the node's bearer token like the rest of the API.
 */
final class BoardRoutes {
  private final FlowNode node;
  private final BoardLogin login;

  /** Each job's modules: its DSL never changes, so it is read once (the newest 100,000 kept). */
  private final Map<String, List<String>> modules =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
              return size() > 100_000;
            }
          });

  BoardRoutes(FlowNode node, BoardLogin login) {
    this.node = node;
    this.login = login;
  }

  /** The app's own files: a flat directory of the classpath; nothing else is ever served. */
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_.-]{1,64}\\.(js|css|html|txt)");

  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "html", "text/html; charset=utf-8",
          "txt", "text/plain; charset=utf-8");

  /** The route that needs no token: it takes a one-time code instead. */
  static final String LOGIN = PREFIX + "/board/login";

  void register(RoutesConfig r) {
    // Javalin ignores a trailing slash when matching: the app's relative paths need it
    r.get(
        "/board",
        ctx -> {
          if (ctx.path().endsWith("/")) {
            file(ctx, "index.html");
          } else {
            ctx.redirect("/board/");
          }
        });
    r.get("/board/{file}", ctx -> file(ctx, ctx.pathParam("file")));
    r.post(LOGIN, this::exchange);
    r.post(PREFIX + "/board/links", ctx -> reply(ctx, Map.of("code", login.issue())));
    r.get(PREFIX + "/board/jobs", this::jobs);
    r.get(PREFIX + "/board/jobs/{id}/dag", this::dag);
    r.get(PREFIX + "/board/jobs/{id}/outputs/{component}", this::outputs);
    r.get(
        PREFIX + "/board/learns/{module}",
        ctx -> reply(ctx, Map.of("texts", PartyLearns.of(name(ctx, "module", "module")))));
  }

  private static void file(Context ctx, String file) throws IOException {
    if (!FILE.matcher(file).matches()) {
      ctx.status(404).result("no such file");
      return;
    }
    try (InputStream in = BoardRoutes.class.getResourceAsStream("/io/federa/flow/board/" + file)) {
      if (in == null) {
        ctx.status(404).result("no such file");
        return;
      }
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("X-Frame-Options", "DENY");
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.header(
          "Content-Security-Policy",
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
              + " frame-ancestors 'none'");
      ctx.contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)))
          .result(in.readAllBytes());
    }
  }

  /** A one-time code (from the link printed by {@code federa node start}) for the node's token. */
  private void exchange(Context ctx) {
    String code = body(ctx).path("code").asText("");
    String token = login.redeem(code);
    if (token == null) {
      ctx.status(401);
      reply(
          ctx,
          ErrorReport.user(
                  ErrorCode.INVALID_ARGUMENT,
                  "this login link was used already or has expired",
                  "log in with the token in the node's data_dir/api.token, or get a new link:"
                      + " 'federa board link --node node.yaml'")
              .envelope());
      return;
    }
    reply(ctx, Map.of("token", token, "party_id", node.self()));
  }

  /** A job in the board's list: the API's fields and the modules of its DSL. */
  record BoardJob(@JsonUnwrapped Replies.JobReply job, List<String> modules) {}

  /** The board's list, filtered here so that a store of thousands of jobs answers at once. */
  record BoardJobs(int partyId, int matched, List<BoardJob> jobs) {}

  private void jobs(Context ctx) {
    String state = filter(ctx, "state");
    String role = filter(ctx, "role");
    String module = filter(ctx, "module");
    String since = filter(ctx, "since");
    int limit = number(ctx, "limit", 200, 1, 10_000);
    List<BoardJob> out = new ArrayList<>();
    int matched = 0;
    for (JobStore.Job j : node.jobs().jobs(Integer.MAX_VALUE)) {
      List<String> modules = modules(j);
      if ((state == null || j.state().name().equalsIgnoreCase(state))
          && (role == null || j.role().equalsIgnoreCase(role))
          && (module == null || modules.stream().anyMatch(m -> m.equalsIgnoreCase(module)))
          && (since == null || j.createdAt().compareTo(since) >= 0)) {
        if (matched++ < limit) {
          out.add(new BoardJob(Replies.JobReply.of(j, List.of(), List.of()), modules));
        }
      }
    }
    reply(ctx, new BoardJobs(node.self(), matched, out));
  }

  private static String filter(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.length() > 64) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "?" + param + "= is too long: " + Names.shown(v));
    }
    return v;
  }

  private List<String> modules(JobStore.Job j) {
    return modules.computeIfAbsent(j.jobId(), id -> modules(j.dsl()));
  }

  private static List<String> modules(String dsl) {
    List<String> out = new ArrayList<>();
    JsonNode components =
        Json.tree(dsl.getBytes(StandardCharsets.UTF_8), "a stored DSL").path("components");
    components.fields().forEachRemaining(e -> out.add(e.getValue().path("module").asText()));
    return out;
  }

  /** A component's outputs at this party: a preview of its rows, its model part (or nulls). */
  record Outputs(Replies.OutputData data, JsonNode model) {}

  private void outputs(Context ctx) throws IOException {
    String id = name(ctx, "id", "job id");
    String component = name(ctx, "component", "component");
    node.jobs().job(id).orElseThrow(() -> noJob(id));
    byte[] model = JobRoutes.modelPart(node, id, component);
    reply(
        ctx,
        new Outputs(
            JobRoutes.preview(node, id, component, 10),
            model == null ? null : Json.tree(model, "the model part of " + component)));
  }

  private FederaException noJob(String id) {
    return new FederaException(ErrorCode.NOT_FOUND, "no job " + id + " at party " + node.self());
  }

  /** One component of the DAG: its module, the components it reads, its parameters per party. */
  record DagComponent(
      String name, String module, List<String> upstream, Map<Integer, JsonNode> parameters) {}

  /** A job's DAG, in an order that respects every input, and its parties by role. */
  record Dag(String jobId, List<DagComponent> components, Map<String, List<Integer>> roles) {}

  private void dag(Context ctx) {
    String id = name(ctx, "id", "job id");
    ValidatedJob plan = node.plan(id).orElseThrow(() -> noJob(id));
    List<DagComponent> components = new ArrayList<>();
    for (String c : plan.order()) {
      Map<Integer, JsonNode> parameters = new LinkedHashMap<>();
      for (var role : plan.roles().entrySet()) {
        for (int i = 0; i < role.getValue().size(); i++) {
          parameters.putIfAbsent(role.getValue().get(i), plan.parameters(c, role.getKey(), i));
        }
      }
      components.add(
          new DagComponent(
              c, plan.modules().get(c), plan.upstream().getOrDefault(c, List.of()), parameters));
    }
    reply(ctx, new Dag(id, components, plan.roles()));
  }
}
