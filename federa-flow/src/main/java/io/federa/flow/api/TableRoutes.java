package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.reply;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.flow.node.FlowNode;
import io.federa.flow.store.TableInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.Map;

/** The tables of the node: list, upload (a CSV of the node's machine), info, delete. */
record TableRoutes(FlowNode node) {
  void register(RoutesConfig r) {
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
}
