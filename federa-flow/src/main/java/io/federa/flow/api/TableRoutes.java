package io.federa.flow.api;

import static io.federa.flow.api.HttpApi.PREFIX;
import static io.federa.flow.api.HttpApi.body;
import static io.federa.flow.api.HttpApi.reply;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.Names;
import io.federa.core.csv.CsvOptions;
import io.federa.core.io.AtomicFiles;
import io.federa.flow.node.FlowNode;
import io.federa.flow.store.TableInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** The tables of the node: list, upload (streamed, or a file the policy allows), info, delete. */
record TableRoutes(FlowNode node, UploadPolicy uploads) {
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
    String ns = HttpApi.name(ctx, "namespace", "namespace");
    String name = HttpApi.name(ctx, "name", "table name");
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

  /**
   * Stores a CSV as a table: the request's body ({@code Content-Type: text/csv}, names in the
   * query: {@code namespace}, {@code name}, {@code id_column}, {@code label}, {@code replace}), or
   * a file of the node's machine ({@code {"file": …}} in JSON) that the {@link UploadPolicy}
   * allows.
   */
  private void upload(Context ctx) throws IOException {
    String type = ctx.contentType();
    if (type != null && type.startsWith("text/csv")) {
      streamed(ctx);
      return;
    }
    JsonNode b = body(ctx);
    String file = b.path("file").asText(null);
    if (file == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "send the CSV as the body (Content-Type: text/csv), or {\"file\": …} for a file in this"
              + " node's uploads.dirs");
    }
    Path allowed = uploads.allowed(file);
    String label = b.path("label").asText(null);
    TableInfo info =
        node.tables()
            .upload(
                allowed,
                b.path("namespace").asText(null),
                b.path("name").asText(null),
                options(b.path("id_column").asText(null), label),
                b.path("replace").asBoolean(false));
    ctx.status(201);
    reply(ctx, info);
  }

  /** The body, copied to a private file under the data directory (bounded), then stored. */
  private void streamed(Context ctx) throws IOException {
    String namespace = Names.require("namespace", ctx.queryParam("namespace"));
    String name = Names.require("table name", ctx.queryParam("name"));
    Path temp =
        node.dataDir().resolve("uploads").resolve(java.util.UUID.randomUUID() + ".csv.partial");
    try {
      try (var out =
              AtomicFiles.openPrivate(
                  temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          InputStream in = ctx.bodyInputStream()) {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
          total += n;
          if (total > uploads.maxBytes()) {
            throw uploads.tooLarge();
          }
          out.write(java.nio.ByteBuffer.wrap(buf, 0, n));
        }
      }
      TableInfo info =
          node.tables()
              .upload(
                  temp,
                  "the upload of " + namespace + "." + name,
                  namespace,
                  name,
                  options(ctx.queryParam("id_column"), ctx.queryParam("label")),
                  Boolean.parseBoolean(ctx.queryParam("replace")));
      ctx.status(201);
      reply(ctx, info);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static CsvOptions options(String idColumn, String label) {
    CsvOptions options =
        label == null ? CsvOptions.unlabeled() : CsvOptions.labeled().withLabelColumn(label);
    return idColumn == null ? options : options.withIdColumn(idColumn);
  }
}
