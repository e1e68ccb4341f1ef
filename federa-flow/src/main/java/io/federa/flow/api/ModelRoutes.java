package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.reply;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.node.FlowNode;
import io.federa.flow.serving.Serving;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** The model registry: list, export, import and deploy model versions. */
record ModelRoutes(FlowNode node) {
  void register(RoutesConfig r) {
    r.get(
        PREFIX + "/models",
        ctx -> reply(ctx, new Replies.Models(node.models().parts(ctx.queryParam("job_id")))));
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
          // with a service: servable online at every party of the model, then marked deployed
          Serving.Deployed served =
              b.hasNonNull("service") ? node.serving().deploy(serving(b, id, version)) : null;
          int n = node.models().deploy(id, version);
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
          if (served != null) {
            reply(ctx, served);
            return;
          }
          reply(ctx, new Replies.Deployed(id, version, true));
        });
  }

  /** A deployment's options: {@code split}, {@code deadline_ms}, {@code policy}, {@code tables}. */
  private static Serving.Deploy serving(JsonNode b, String id, String version) {
    java.util.Map<Integer, String> tables = new java.util.HashMap<>();
    for (var it = b.path("tables").fields(); it.hasNext(); ) {
      var e = it.next();
      try {
        tables.put(Integer.parseInt(e.getKey()), e.getValue().asText());
      } catch (NumberFormatException x) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "\"tables\" maps party ids to NAMESPACE.NAME");
      }
    }
    return new Serving.Deploy(
        b.path("service").asText(),
        id,
        version,
        b.hasNonNull("split") ? b.get("split").asDouble() : null,
        b.hasNonNull("deadline_ms") ? b.get("deadline_ms").asInt() : null,
        b.hasNonNull("policy") ? b.get("policy").asText() : null,
        tables);
  }

  private static String required(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "give ?" + name + "=…");
    }
    return v;
  }
}
