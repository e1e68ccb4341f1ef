package io.federa.cli.bench;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.demo.JoinedData;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code federa bench local-train}: training time of the centralized LR and GBDT on one engine
 * thread (the baseline) and on all cores, in the same run.
 */
@Command(
    name = "local-train",
    description = "Centralized LR and GBDT training time, one thread against all cores.")
public final class LocalTrainBench extends FederaCommand<LocalTrainBench.Table> {
  /** One model's training time on one thread and on all cores. */
  public record Row(
      String model, double oneThreadSeconds, double allCoresSeconds, int cores, double speedup) {}

  /** The benchmark's table. */
  public record Table(int rows, int features, List<Row> results) {}

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
  protected Table execute(Progress progress) {
    io.federa.core.table.Table table =
        JoinedData.read(guest, hosts, CsvOptions.DEFAULT_ID, CsvOptions.DEFAULT_LABEL);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Row> rows = new ArrayList<>();
    for (String model : List.of("lr", "gbdt")) {
      double one;
      double all;
      try (var single = LocalEngine.withThreads(1, LocalEngine.DEFAULT_GRAIN);
          var many = LocalEngine.withThreads(cores, LocalEngine.DEFAULT_GRAIN)) {
        one = median(model, table, single);
        all = median(model, table, many);
      }
      rows.add(new Row(model, one, all, cores, one / all));
    }
    return new Table(table.rows(), table.features(), rows);
  }

  private double median(String model, io.federa.core.table.Table table, ComputingEngine engine) {
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
  protected void printText(Table r, PrintWriter out) {
    out.printf("centralized training on %s rows × %s features%n%n", r.rows(), r.features());
    out.printf("%-8s %14s %14s %10s%n", "model", "1 thread (s)", "all cores (s)", "speed-up");
    for (Row row : r.results()) {
      out.printf(
          "%-8s %14.3f %14.3f %9.2f×%n",
          row.model(), row.oneThreadSeconds(), row.allCoresSeconds(), row.speedup());
    }
  }
}
