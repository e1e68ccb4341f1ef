package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench local-train}: training time of the centralized LR and GBDT on one engine
 * thread (the baseline) and on all cores, in the same run.
 */
@Command(
    name = "local-train",
    description = "Centralized LR and GBDT training time, one thread against all cores.")
public final class LocalTrainBench extends FederaCommand<Map<String, Object>> {
  @Option(names = "--guest", required = true, description = "Guest CSV with the label.")
  Path guest;

  @Option(names = "--host", description = "Host CSV(s).")
  List<Path> hosts = List.of();

  @Option(
      names = "--repeat",
      defaultValue = "5",
      description = "Runs of each; the median is reported.")
  int repeat;

  @Override
  protected Map<String, Object> execute(Progress progress) {
    Table table = JoinedData.read(guest, hosts, CsvOptions.DEFAULT_ID, CsvOptions.DEFAULT_LABEL);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String model : List.of("lr", "gbdt")) {
      double one;
      double all;
      try (var single = LocalEngine.withThreads(1, LocalEngine.DEFAULT_GRAIN);
          var many = LocalEngine.withThreads(cores, LocalEngine.DEFAULT_GRAIN)) {
        one = median(model, table, single);
        all = median(model, table, many);
      }
      var row = new LinkedHashMap<String, Object>();
      row.put("model", model);
      row.put("one_thread_seconds", one);
      row.put("all_cores_seconds", all);
      row.put("cores", cores);
      row.put("speedup", one / all);
      rows.add(row);
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("rows", table.rows());
    m.put("features", table.features());
    m.put("results", rows);
    return m;
  }

  private double median(String model, Table table, ComputingEngine engine) {
    return Timing.median(
        repeat,
        () -> {
          if (model.equals("lr")) {
            LogisticRegression.fit(
                table, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
          } else {
            GradientBoosting.fit(
                table,
                GbdtParams.defaults(GbdtParams.Loss.LOGISTIC),
                engine,
                TrainingListener.NONE);
          }
        });
  }

  @Override
  @SuppressWarnings("unchecked")
  protected void printText(Map<String, Object> r, PrintWriter out) {
    out.printf(
        "centralized training on %s rows × %s features%n%n", r.get("rows"), r.get("features"));
    out.printf("%-8s %14s %14s %10s%n", "model", "1 thread (s)", "all cores (s)", "speed-up");
    for (Map<String, Object> row : (List<Map<String, Object>>) r.get("results")) {
      out.printf(
          "%-8s %14.3f %14.3f %9.2f×%n",
          row.get("model"),
          row.get("one_thread_seconds"),
          row.get("all_cores_seconds"),
          row.get("speedup"));
    }
  }
}
