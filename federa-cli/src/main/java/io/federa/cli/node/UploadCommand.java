package io.federa.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.FederaCommand;
import io.federa.cli.Json;
import io.federa.cli.NodeApi;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
import io.federa.cli.demo.DemoCommand;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.flow.store.TableInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code federa upload}: validates a CSV and stores it as a table on this node, by options or with
 * FATE's upload conf ({@code -c upload.json}: {@code file}, {@code table_name}, {@code namespace},
 * {@code head}, {@code partition}).
 */
@Command(
    name = "upload",
    description = {
      "Store a CSV as a table on this node (validated, written atomically, checksummed).",
      "FATE's upload conf works with -c: file, table_name, namespace, head (must be 1), partition",
      "(ignored: Federa partitions by itself). A FATE path that does not exist here is looked up",
      "by file name in the project's examples/data."
    })
public final class UploadCommand extends FederaCommand<TableCommand.Table> {
  @Mixin NodeOption node;

  @Option(
      names = {"-c", "--upload-conf"},
      description = "FATE-style upload JSON.")
  Path uploadConf;

  @Option(names = "--file", description = "The CSV file.")
  Path file;

  @Option(names = "--table", description = "Table name.")
  String table;

  @Option(names = "--namespace", description = "Namespace.")
  String namespace;

  @Option(names = "--id-column", defaultValue = "id", description = "Default: ${DEFAULT-VALUE}.")
  String idColumn;

  @Option(
      names = "--label",
      description = "Label column (default: 'y' when the header has it, else no label).")
  String label;

  @Option(names = "--no-label", description = "Store without a label column.")
  boolean noLabel;

  @Option(names = "--replace", description = "Replace an existing table of that name.")
  boolean replace;

  @Override
  protected TableCommand.Table execute(Progress progress) throws IOException {
    var notes = new java.util.ArrayList<String>();
    if (uploadConf != null) {
      JsonNode c = Json.mapper().readTree(uploadConf.toFile());
      file = Path.of(required(c, "file"));
      table = required(c, "table_name");
      namespace = required(c, "namespace");
      if (c.has("head") && c.get("head").asInt() != 1) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            uploadConf
                + ": head = "
                + c.get("head").asInt()
                + "; Federa needs a header row in the file (head = 1)");
      }
      if (c.has("partition")) {
        notes.add(
            "partition " + c.get("partition").asInt() + " ignored: Federa partitions by itself");
      }
      if (!Files.exists(file)) {
        Path local = DemoCommand.shippedData().resolve(file.getFileName().toString());
        if (Files.exists(local)) {
          notes.add("'" + file + "' does not exist here; using " + local);
          file = local;
        }
      }
    }
    if (file == null || table == null || namespace == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "give --file, --table and --namespace, or a FATE upload conf with -c");
    }
    CsvOptions options = options();
    TableInfo info;
    var api = NodeApi.ifRunning(node.path());
    if (api.isPresent()) {
      // the node is running: the file's content is streamed to it, and it stores the table
      if (!Files.isRegularFile(file)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND, file + " is not a file; give the CSV file's path");
      }
      var query = new java.util.LinkedHashMap<String, String>();
      query.put("namespace", namespace);
      query.put("name", table);
      query.put("id_column", idColumn);
      query.put("label", options.withLabel() ? options.labelColumn() : null);
      query.put("replace", Boolean.toString(replace));
      info = NodeApi.table(api.get().postCsv("/tables", query, file));
    } else {
      try (NodeStorage storage = NodeStorage.open(node.path())) {
        info = storage.tables().upload(file, namespace, table, options, replace);
      }
    }
    return TableCommand.Table.of(info, notes);
  }

  private CsvOptions options() throws IOException {
    CsvOptions base = CsvOptions.unlabeled().withIdColumn(idColumn);
    if (noLabel) {
      return base;
    }
    if (label != null) {
      return CsvOptions.labeled().withIdColumn(idColumn).withLabelColumn(label);
    }
    String header;
    try (var lines = Files.lines(file)) {
      header = lines.findFirst().orElse("");
    }
    boolean hasY = java.util.Arrays.asList(header.split(",")).contains(CsvOptions.DEFAULT_LABEL);
    return hasY ? CsvOptions.labeled().withIdColumn(idColumn) : base;
  }

  private String required(JsonNode c, String field) {
    if (!c.hasNonNull(field)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          uploadConf + " has no '" + field + "'; FATE's upload conf needs it");
    }
    return c.get(field).asText();
  }

  @Override
  protected void printText(TableCommand.Table r, PrintWriter out) {
    out.printf(
        "stored %s.%s: %s rows, %s features%s%n",
        r.namespace(),
        r.name(),
        r.rows(),
        r.features(),
        r.label() == null ? ", no label" : ", label " + r.label());
    if (r.notes() != null) {
      r.notes().forEach(n -> out.println("note: " + n));
    }
  }
}
