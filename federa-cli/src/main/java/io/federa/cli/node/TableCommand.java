package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.NodeApi;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
import io.federa.flow.store.TableInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code federa table info|list|delete} and {@code federa download}. */
@Command(
    name = "table",
    description = "The tables stored on this node.",
    subcommands = {
      TableCommand.Info.class,
      TableCommand.ListTables.class,
      TableCommand.Delete.class,
      TableCommand.Download.class
    })
public final class TableCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static Map<String, Object> describe(TableInfo t) {
    var m = new LinkedHashMap<String, Object>();
    m.put("namespace", t.namespace());
    m.put("name", t.name());
    m.put("rows", t.rows());
    m.put("features", t.features());
    m.put("id_column", t.idColumn());
    m.put("label", t.labelColumn());
    m.put("feature_names", t.featureNames());
    m.put("bytes", t.bytes());
    m.put("sha256", t.sha256());
    m.put("created_at", t.createdAt());
    return m;
  }

  /** Options naming one table on one node. */
  abstract static class OneTable extends FederaCommand<Map<String, Object>> {
    @Mixin NodeOption node;

    @Option(names = "--table", required = true, description = "Table name.")
    String table;

    @Option(names = "--namespace", required = true, description = "Namespace.")
    String namespace;
  }

  @Command(name = "info", description = "A table's rows, columns, checksum.")
  static final class Info extends OneTable {
    @Override
    protected Map<String, Object> execute(Progress progress) {
      var api = NodeApi.ifRunning(node.path());
      if (api.isPresent()) {
        return describe(NodeApi.table(api.get().get("/tables/" + namespace + "/" + table)));
      }
      try (NodeStorage s = NodeStorage.open(node.path())) {
        s.tables().read(namespace, table); // checks the file against its checksum
        return describe(s.tables().info(namespace, table).orElseThrow());
      }
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      r.forEach((k, v) -> out.printf("%-14s %s%n", k, v));
    }
  }

  @Command(name = "list", description = "The tables on this node.")
  static final class ListTables extends FederaCommand<Map<String, Object>> {
    @Mixin NodeOption node;

    @Option(names = "--namespace", description = "Only this namespace.")
    String namespace;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      List<Map<String, Object>> rows = new ArrayList<>();
      var api = NodeApi.ifRunning(node.path());
      if (api.isPresent()) {
        for (var t :
            api.get()
                .get("/tables" + (namespace == null ? "" : "?namespace=" + namespace))
                .path("tables")) {
          rows.add(describe(NodeApi.table(t)));
        }
      } else {
        try (NodeStorage s = NodeStorage.open(node.path())) {
          for (TableInfo t : s.tables().list(namespace)) {
            rows.add(describe(t));
          }
        }
      }
      var m = new LinkedHashMap<String, Object>();
      m.put("tables", rows);
      return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void printText(Map<String, Object> r, PrintWriter out) {
      var rows = (List<Map<String, Object>>) r.get("tables");
      out.printf("%-20s %-28s %10s %9s  %s%n", "namespace", "name", "rows", "features", "label");
      for (var t : rows) {
        out.printf(
            "%-20s %-28s %10s %9s  %s%n",
            t.get("namespace"), t.get("name"), t.get("rows"), t.get("features"), t.get("label"));
      }
    }
  }

  @Command(name = "delete", description = "Delete a table.")
  static final class Delete extends OneTable {
    @Override
    protected Map<String, Object> execute(Progress progress) {
      var api = NodeApi.ifRunning(node.path());
      if (api.isPresent()) {
        api.get().delete("/tables/" + namespace + "/" + table);
      } else {
        try (NodeStorage s = NodeStorage.open(node.path())) {
          s.tables().delete(namespace, table);
        }
      }
      var m = new LinkedHashMap<String, Object>();
      m.put("deleted", namespace + "." + table);
      return m;
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.println("deleted " + r.get("deleted"));
    }
  }

  @Command(name = "download", description = "Write a table (checksum-checked) to a CSV file.")
  public static final class Download extends OneTable {
    @Option(names = "--out", required = true, description = "Output CSV.")
    Path outFile;

    @Override
    protected Map<String, Object> execute(Progress progress) {
      try (NodeStorage s = NodeStorage.open(node.path())) {
        s.tables().download(namespace, table, outFile);
      }
      var m = new LinkedHashMap<String, Object>();
      m.put("table", namespace + "." + table);
      m.put("file", outFile.toString());
      return m;
    }

    @Override
    protected void printText(Map<String, Object> r, PrintWriter out) {
      out.println("wrote " + r.get("table") + " to " + r.get("file"));
    }
  }
}
