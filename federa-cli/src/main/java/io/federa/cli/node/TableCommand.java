package io.federa.cli.node;

import io.federa.cli.FederaCommand;
import io.federa.cli.Json;
import io.federa.cli.NodeApi;
import io.federa.cli.NodeOption;
import io.federa.cli.Progress;
import io.federa.flow.store.TableInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** A stored table as the CLI shows it (the node's file name stays the node's). */
  public record Table(
      String namespace,
      String name,
      long rows,
      int features,
      String idColumn,
      String label,
      List<String> featureNames,
      long bytes,
      String sha256,
      String createdAt,
      List<String> notes) {
    static Table of(TableInfo t, List<String> notes) {
      return new Table(
          t.namespace(),
          t.name(),
          t.rows(),
          t.features(),
          t.idColumn(),
          t.labelColumn(),
          t.featureNames(),
          t.bytes(),
          t.sha256(),
          t.createdAt(),
          notes.isEmpty() ? null : List.copyOf(notes));
    }
  }

  /** The tables of a node. */
  public record Tables(List<Table> tables) {}

  /** A table deleted. */
  public record Deleted(String deleted) {}

  /** A table written to a CSV file. */
  public record Downloaded(String table, String file) {}

  static Table describe(TableInfo t) {
    return Table.of(t, List.of());
  }

  /** Options naming one table on one node. */
  abstract static class OneTable<R> extends FederaCommand<R> {
    @Mixin NodeOption node;

    @Option(
        names = "--table",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "Table name.")
    String table;

    @Option(
        names = "--namespace",
        required = true,
        converter = io.federa.cli.NameConverter.class,
        description = "Namespace.")
    String namespace;
  }

  @Command(name = "info", description = "A table's rows, columns, checksum.")
  static final class Info extends OneTable<Table> {
    @Override
    protected Table execute(Progress progress) {
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
    protected void printText(Table r, PrintWriter out) {
      Json.mapper()
          .convertValue(r, java.util.Map.class)
          .forEach((k, v) -> out.printf("%-14s %s%n", k, v));
    }
  }

  @Command(name = "list", description = "The tables on this node.")
  static final class ListTables extends FederaCommand<Tables> {
    @Mixin NodeOption node;

    @Option(
        names = "--namespace",
        converter = io.federa.cli.NameConverter.class,
        description = "Only this namespace.")
    String namespace;

    @Override
    protected Tables execute(Progress progress) {
      List<Table> rows = new ArrayList<>();
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
      return new Tables(rows);
    }

    @Override
    protected void printText(Tables r, PrintWriter out) {
      out.printf("%-20s %-28s %10s %9s  %s%n", "namespace", "name", "rows", "features", "label");
      for (Table t : r.tables()) {
        out.printf(
            "%-20s %-28s %10s %9s  %s%n",
            t.namespace(), t.name(), t.rows(), t.features(), t.label());
      }
    }
  }

  @Command(name = "delete", description = "Delete a table.")
  static final class Delete extends OneTable<Deleted> {
    @Override
    protected Deleted execute(Progress progress) {
      var api = NodeApi.ifRunning(node.path());
      if (api.isPresent()) {
        api.get().delete("/tables/" + namespace + "/" + table);
      } else {
        try (NodeStorage s = NodeStorage.open(node.path())) {
          s.tables().delete(namespace, table);
        }
      }
      return new Deleted(namespace + "." + table);
    }

    @Override
    protected void printText(Deleted r, PrintWriter out) {
      out.println("deleted " + r.deleted());
    }
  }

  @Command(name = "download", description = "Write a table (checksum-checked) to a CSV file.")
  public static final class Download extends OneTable<Downloaded> {
    @Option(names = "--out", required = true, description = "Output CSV.")
    Path outFile;

    @Override
    protected Downloaded execute(Progress progress) {
      try (NodeStorage s = NodeStorage.open(node.path())) {
        s.tables().download(namespace, table, outFile);
      }
      return new Downloaded(namespace + "." + table, outFile.toString());
    }

    @Override
    protected void printText(Downloaded r, PrintWriter out) {
      out.println("wrote " + r.table() + " to " + r.file());
    }
  }
}
