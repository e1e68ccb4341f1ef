package io.federa.ml.local;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.ml.Features;
import io.federa.ml.TrainingListener;
import io.federa.ml.eval.Evaluation;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LinearRegression;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.tree.GbdtModel;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a centralized model on one party's joined data and evaluates it: the baseline that a
 * federated run is compared with. Optionally holds out the rows whose id is a multiple of a
 * modulus.
 */
public final class LocalTraining {
  /** The model kinds: logistic regression, linear regression, gradient-boosted trees. */
  public enum ModelKind {
    LR,
    LINR,
    GBDT;

    /** Parses {@code lr|linr|gbdt}. */
    public static ModelKind parse(String name) {
      for (ModelKind k : values()) {
        if (k.name().equalsIgnoreCase(name)) {
          return k;
        }
      }
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "unknown model '" + name + "'; choose lr, linr or gbdt");
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a run produced. */
  public record Result(
      ModelKind model,
      String task,
      int trainRows,
      int holdoutRows,
      int features,
      double trainSeconds,
      Map<String, Double> train,
      Map<String, Double> holdout,
      Object trainedModel) {}

  /** Settings of a run; {@code holdoutMod = 0} trains on every row. */
  public record Settings(
      ModelKind model, LogisticRegressionParams lr, GbdtParams gbdt, int holdoutMod) {}

  private LocalTraining() {}

  public static Result run(
      Table data, Settings settings, ComputingEngine engine, TrainingListener listener) {
    Table train = data;
    Table holdout = null;
    if (settings.holdoutMod() > 0) {
      List<Table> split = Tables.splitByIdModulo(data, settings.holdoutMod());
      train = split.get(0);
      holdout = split.get(1).rows() > 0 ? split.get(1) : null;
    }
    if (train.rows() == 0) {
      throw new FederaException(ErrorCode.INVALID_INPUT, "no rows left to train on");
    }
    long start = System.nanoTime();
    Object model;
    String task;
    switch (settings.model()) {
      case LR -> {
        LinearModel m = LogisticRegression.fit(train, settings.lr(), engine, listener);
        model = m;
        task = m.outputs() == 1 ? "binary" : "multiclass";
      }
      case LINR -> {
        model = LinearRegression.fit(train, engine);
        task = "regression";
      }
      case GBDT -> {
        model = GradientBoosting.fit(train, settings.gbdt(), engine, listener);
        task = settings.gbdt().loss() == GbdtParams.Loss.LOGISTIC ? "binary" : "regression";
      }
      default -> throw new IllegalStateException();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> trainMetrics = evaluate(model, task, train, engine);
    Map<String, Double> holdoutMetrics =
        holdout == null ? Map.of() : evaluate(model, task, holdout, engine);
    return new Result(
        settings.model(),
        task,
        train.rows(),
        holdout == null ? 0 : holdout.rows(),
        data.features(),
        seconds,
        trainMetrics,
        holdoutMetrics,
        model);
  }

  /** Evaluates a model produced by {@link #run}. */
  public static Map<String, Double> evaluate(
      Object model, String task, Table table, ComputingEngine engine) {
    double[] y = table.labels();
    if (model instanceof GbdtModel gbdt) {
      double[] p = gbdt.predict(table, engine);
      return task.equals("binary") ? Evaluation.binary(y, p) : Evaluation.regression(y, p);
    }
    LinearModel linear = (LinearModel) model;
    return switch (task) {
      case "binary" ->
          Evaluation.binary(y, LogisticRegression.predictProbability(linear, table, engine));
      case "multiclass" -> {
        Features.classCount(y);
        yield Evaluation.multiclass(
            y, LogisticRegression.predictClassProbabilities(linear, table, engine));
      }
      default -> Evaluation.regression(y, LinearRegression.predict(linear, table, engine));
    };
  }
}
