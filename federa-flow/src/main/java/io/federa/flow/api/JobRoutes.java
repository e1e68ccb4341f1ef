package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.name;
import static io.federa.flow.api.HttpApi.number;
import static io.federa.flow.api.HttpApi.reply;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.table.Table;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.ModelPart;
import io.federa.flow.node.FlowNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Jobs: submit, list, query, stop, rerun, and their metrics, outputs, logs and transcripts. */
record JobRoutes(FlowNode node) {
  void register(RoutesConfig r) {
    r.post(PREFIX + "/jobs", this::submit);
    r.get(
        PREFIX + "/jobs",
        ctx -> {
          int limit = number(ctx, "limit", 20, 1, 10_000);
          List<Replies.JobReply> out = new ArrayList<>();
          for (JobStore.Job j : node.jobs().jobs(limit)) {
            out.add(Replies.JobReply.of(j, List.of(), List.of()));
          }
          reply(ctx, new Replies.Jobs(out));
        });
    r.get(PREFIX + "/jobs/{id}", this::query);
    r.delete(
        PREFIX + "/jobs/{id}",
        ctx -> reply(ctx, new Replies.Deleted(jobId(ctx), node.delete(jobId(ctx)))));
    r.post(
        PREFIX + "/jobs/{id}/stop",
        ctx -> {
          String id = jobId(ctx);
          boolean stopped = node.stop(id);
          reply(ctx, new Replies.Stopped(id, stopped, node.jobs().job(id).orElseThrow().state()));
        });
    r.post(
        PREFIX + "/jobs/{id}/rerun",
        ctx -> {
          String component = body(ctx).path("component").asText(null);
          if (component == null) {
            throw new FederaException(
                ErrorCode.INVALID_ARGUMENT, "give the component to rerun from: {\"component\": …}");
          }
          Names.require("component", component);
          node.rerun(jobId(ctx), component);
          reply(ctx, new Replies.Rerun(jobId(ctx), component));
        });
    r.get(PREFIX + "/jobs/{id}/metrics", this::metrics);
    r.get(PREFIX + "/jobs/{id}/output-data/{component}", this::outputData);
    r.get(PREFIX + "/jobs/{id}/output-model/{component}", this::outputModel);
    r.get(
        PREFIX + "/jobs/{id}/logs",
        ctx -> {
          int p = number(ctx, "party", node.self(), 0, Integer.MAX_VALUE);
          reply(ctx, new Replies.Log(p, node.logs(jobId(ctx), p)));
        });
    r.get(
        PREFIX + "/jobs/{id}/audit",
        ctx -> {
          int p = number(ctx, "party", node.self(), 0, Integer.MAX_VALUE);
          reply(ctx, new Replies.Audit(jobId(ctx), p, node.audit(jobId(ctx), p)));
        });
  }

  private static String jobId(Context ctx) {
    return name(ctx, "id", "job id");
  }

  private void submit(Context ctx) {
    JsonNode b = body(ctx);
    long t0 = System.nanoTime();
    FlowNode.Submitted submitted = node.submitJob(b.path("dsl"), b.path("conf"));
    ctx.status(201);
    reply(
        ctx,
        new Replies.Submitted(
            submitted.jobId(),
            submitted.modelId(),
            submitted.modelVersion(),
            (System.nanoTime() - t0) / 1_000_000));
  }

  private void query(Context ctx) {
    String id = jobId(ctx);
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
    reply(ctx, Replies.JobReply.of(view.job(), view.tasks(), view.parties()));
  }

  private void metrics(Context ctx) {
    String id = jobId(ctx);
    String component = ctx.queryParam("component");
    if (component != null) {
      Names.require("component", component);
    }
    reply(ctx, new Replies.Metrics(id, node.metrics(id, component)));
  }

  private FederaException missing(String id, String component, String what) {
    return new FederaException(
        ErrorCode.NOT_FOUND,
        "component "
            + component
            + " of job "
            + id
            + " has no "
            + what
            + " at party "
            + node.self());
  }

  /** The first rows of a component's output table (this party's), and its size. */
  private void outputData(Context ctx) {
    String id = jobId(ctx);
    String component = name(ctx, "component", "component");
    Replies.OutputData d = preview(node, id, component, number(ctx, "limit", 10, 0, 10_000));
    if (d == null) {
      throw missing(id, component, "output data");
    }
    reply(ctx, d);
  }

  /** The first {@code limit} rows of a component's output table here, or null without one. */
  static Replies.OutputData preview(FlowNode node, String id, String component, int limit) {
    String ns = FlowNode.outputNamespace(id);
    if (node.tables().info(ns, component).isEmpty()) {
      return null;
    }
    Table t = node.tables().read(ns, component);
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
    return new Replies.OutputData(ns + "." + component, t.rows(), columns, rows);
  }

  private void outputModel(Context ctx) throws IOException {
    String id = jobId(ctx);
    String component = name(ctx, "component", "component");
    byte[] part = modelPart(node, id, component);
    if (part == null) {
      throw missing(id, component, "model part");
    }
    ctx.contentType("application/json").result(part);
  }

  /** This party's model part of a component (JSON), or null without one. */
  static byte[] modelPart(FlowNode node, String id, String component) throws IOException {
    for (ModelPart m : node.models().parts(id)) {
      if (m.component().equals(component)) {
        return Files.readAllBytes(node.dataDir().resolve(m.file()));
      }
    }
    return null;
  }
}
