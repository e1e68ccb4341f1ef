package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.reply;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.flow.job.JobStore;
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
          int limit =
              Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("20"));
          List<Replies.JobReply> out = new ArrayList<>();
          for (JobStore.Job j : node.jobs().jobs(limit)) {
            out.add(Replies.JobReply.of(j, List.of()));
          }
          reply(ctx, new Replies.Jobs(out));
        });
    r.get(PREFIX + "/jobs/{id}", this::query);
    r.post(
        PREFIX + "/jobs/{id}/stop",
        ctx -> {
          node.stop(ctx.pathParam("id"));
          reply(ctx, new Replies.Stopped(ctx.pathParam("id"), true));
        });
    r.post(
        PREFIX + "/jobs/{id}/rerun",
        ctx -> {
          String component = body(ctx).path("component").asText(null);
          if (component == null) {
            throw new FederaException(
                ErrorCode.INVALID_ARGUMENT, "give the component to rerun from: {\"component\": …}");
          }
          node.rerun(ctx.pathParam("id"), component);
          reply(ctx, new Replies.Rerun(ctx.pathParam("id"), component));
        });
    r.get(PREFIX + "/jobs/{id}/metrics", this::metrics);
    r.get(PREFIX + "/jobs/{id}/output-data/{component}", this::outputData);
    r.get(PREFIX + "/jobs/{id}/output-model/{component}", this::outputModel);
    r.get(
        PREFIX + "/jobs/{id}/logs",
        ctx -> {
          String party = ctx.queryParam("party");
          int p = party == null ? node.self() : Integer.parseInt(party);
          reply(ctx, new Replies.Log(p, node.logs(ctx.pathParam("id"), p)));
        });
    r.get(
        PREFIX + "/jobs/{id}/audit",
        ctx -> {
          String party = ctx.queryParam("party");
          int p = party == null ? node.self() : Integer.parseInt(party);
          reply(ctx, new Replies.Audit(ctx.pathParam("id"), p, node.audit(ctx.pathParam("id"), p)));
        });
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
    reply(ctx, Replies.JobReply.of(view.job(), view.tasks()));
  }

  private void metrics(Context ctx) {
    String id = ctx.pathParam("id");
    reply(ctx, new Replies.Metrics(id, node.jobs().metrics(id, ctx.queryParam("component"))));
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
    reply(ctx, new Replies.OutputData(ns + "." + component, t.rows(), columns, rows));
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
        "component " + component + " of job " + id + " has no model part at party " + node.self());
  }
}
