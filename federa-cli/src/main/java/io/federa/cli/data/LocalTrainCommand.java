package io.federa.cli.data;

import io.federa.cli.ColumnOptions;
import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.cli.demo.JoinedData;
import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Table;
import io.federa.ml.Features;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.local.LocalTraining;
import io.federa.ml.local.LocalTraining.ModelKind;
import io.federa.ml.tree.GbdtParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa local-train}: the centralized baseline on joined guest and host files. */
@Command(
    name = "local-train",
    description = {
      "Train a centralized model on the files joined on id: the baseline a federated run meets.",
      "The guest's file (with the label) is joined with the host files, and the metrics printed."
    })
public final class LocalTrainCommand extends FederaCommand<LocalTrainCommand.Trained> {
  /** A centralized model's metrics on its training rows and on the held-out rows. */
  public record Trained(
      String model,
      String task,
      int joinedRows,
      int trainRows,
      int holdoutRows,
      int features,
      double trainSeconds,
      Map<String, Double> train,
      Map<String, Double> holdout) {}

  @Option(names = "--guest", required = true, description = "Guest CSV, with the label.")
  Path guest;

  @Option(names = "--host", description = "Host CSV(s) without a label; repeat for several hosts.")
  List<Path> hosts = List.of();

  @Option(names = "--model", required = true, description = "lr, linr or gbdt.")
  String model;

  @picocli.CommandLine.Mixin ColumnOptions columns;

  @Option(
      names = "--holdout-mod",
      defaultValue = "0",
      description = "Hold out rows whose numeric id is a multiple of this (0: none).")
  int holdoutMod;

  @Option(
      names = "--C",
      defaultValue = "1.0",
      description = "LR inverse regularisation. Default: ${DEFAULT-VALUE}.")
  double c;

  @Option(
      names = "--max-iter",
      defaultValue = "1000",
      description = "LR iterations at most. Default: ${DEFAULT-VALUE}.")
  int maxIter;

  @Option(
      names = "--trees",
      defaultValue = "10",
      description = "GBDT trees. Default: ${DEFAULT-VALUE}.")
  int trees;

  @Option(
      names = "--depth",
      defaultValue = "3",
      description = "GBDT depth. Default: ${DEFAULT-VALUE}.")
  int depth;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.1",
      description = "GBDT shrinkage. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(
      names = "--bins",
      defaultValue = "32",
      description = "GBDT bins per feature. Default: ${DEFAULT-VALUE}.")
  int bins;

  @Option(
      names = "--loss",
      description = "GBDT loss: logistic or squared (default: logistic for 0/1 labels).")
  GbdtParams.Loss loss;

  @Override
  protected Trained execute(Progress progress) {
    ModelKind kind = ModelKind.parse(model);
    Table data = JoinedData.read(guest, hosts, columns.idColumn, columns.label);
    GbdtParams.Loss gbdtLoss = loss;
    if (gbdtLoss == null) {
      var distinct = new LinkedHashSet<Double>();
      for (double y : data.labels()) {
        distinct.add(y);
        if (distinct.size() > 2) {
          break;
        }
      }
      boolean binary = distinct.stream().allMatch(y -> y == 0 || y == 1) && distinct.size() <= 2;
      gbdtLoss = binary ? GbdtParams.Loss.LOGISTIC : GbdtParams.Loss.SQUARED;
    }
    if (kind == ModelKind.LR) {
      Features.classCount(data.labels());
    }
    var settings =
        new LocalTraining.Settings(
            kind,
            new LogisticRegressionParams(c, maxIter, 1e-9),
            GbdtParams.defaults(gbdtLoss)
                .withTrees(trees)
                .withDepth(depth)
                .withLearningRate(learningRate)
                .withBins(bins),
            holdoutMod);
    int planned = kind == ModelKind.GBDT ? trees : kind == ModelKind.LR ? maxIter : 1;
    progress.start("local-train " + kind.id(), planned);
    LocalTraining.Result r;
    try (var engine = LocalEngine.allCores()) {
      r =
          LocalTraining.run(
              data,
              settings,
              engine,
              (iteration, max, lossValue) -> {
                progress.stepTo(iteration);
                progress.extra(String.format("loss %.6f", lossValue));
              });
    }
    progress.finish();
    return new Trained(
        kind.id(),
        r.task(),
        data.rows(),
        r.trainRows(),
        r.holdoutRows(),
        r.features(),
        r.trainSeconds(),
        r.train(),
        r.holdout());
  }

  @Override
  protected void printText(Trained r, PrintWriter out) {
    out.printf(
        "model %s (%s): %s joined rows, %s features, trained on %s rows in %.2f s%n%n",
        r.model(), r.task(), r.joinedRows(), r.features(), r.trainRows(), r.trainSeconds());
    Map<String, Double> train = r.train();
    Map<String, Double> holdout = r.holdout();
    boolean withHoldout = !holdout.isEmpty();
    out.printf(withHoldout ? "%-16s %10s %10s%n" : "%-16s %10s%n", "metric", "train", "holdout");
    for (var e : train.entrySet()) {
      if (withHoldout) {
        out.printf("%-16s %10.4f %10.4f%n", e.getKey(), e.getValue(), holdout.get(e.getKey()));
      } else {
        out.printf("%-16s %10.4f%n", e.getKey(), e.getValue());
      }
    }
  }
}
