package io.federa.ml.tree;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Centralized histogram gradient boosting with second-order splits, the reference for SecureBoost.
 * Each tree grows level by level: for every open node, gradient and hessian histograms are summed
 * over its rows on the computing engine, the best (feature, bin) split by {@link SplitMath#gain} is
 * taken, and rows are partitioned. Leaves get {@code learningRate · leafWeight}.
 */
public final class GradientBoosting {
  private GradientBoosting() {}

  public static GbdtModel fit(
      Table table, GbdtParams params, ComputingEngine engine, TrainingListener listener) {
    double[] y = table.labels();
    requireLabels(params.loss(), y);
    int n = table.rows();
    QuantileBinning binning = QuantileBinning.fit(table, params.bins(), engine);
    byte[][] bins = binning.transform(table, engine);
    double initial = initialScore(params.loss(), y);
    double[] raw = new double[n];
    Arrays.fill(raw, initial);
    double[] g = new double[n];
    double[] h = new double[n];
    List<Tree> trees = new ArrayList<>();
    for (int t = 1; t <= params.trees(); t++) {
      gradients(params.loss(), y, raw, g, h);
      params.sampling().apply(t - 1, g, h);
      boolean[] usable = params.featureMask(table.schema().featureNames(), t - 1);
      Tree tree = new TreeGrower(binning, bins, g, h, params, usable, engine).grow(raw);
      trees.add(tree);
      listener.onIteration(t, params.trees(), loss(params.loss(), y, raw));
    }
    return new GbdtModel(params.loss(), initial, trees, table.schema().featureNames());
  }

  /** Refuses labels the loss cannot use (the logistic loss needs 0 and 1), naming the row. */
  public static void requireLabels(GbdtParams.Loss loss, double[] y) {
    if (loss != GbdtParams.Loss.LOGISTIC) {
      return;
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0 && y[i] != 1) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "row "
                + (i + 1)
                + " has label "
                + y[i]
                + " but the logistic loss needs labels 0 and 1; use the squared loss for"
                + " regression");
      }
    }
  }

  /** The score every row starts from: the log-odds of the mean label, or the mean. */
  public static double initialScore(GbdtParams.Loss loss, double[] y) {
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    return switch (loss) {
      case LOGISTIC -> {
        double p = Math.min(Math.max(mean, 1e-15), 1 - 1e-15);
        yield Math.log(p / (1 - p));
      }
      case SQUARED -> mean;
    };
  }

  /** First and second derivatives of the loss at the current raw scores. */
  public static void gradients(
      GbdtParams.Loss loss, double[] y, double[] raw, double[] g, double[] h) {
    switch (loss) {
      case LOGISTIC -> {
        for (int i = 0; i < y.length; i++) {
          double p = ColumnOps.sigmoid(raw[i]);
          g[i] = p - y[i];
          h[i] = Math.max(p * (1 - p), 1e-16);
        }
      }
      case SQUARED -> {
        for (int i = 0; i < y.length; i++) {
          g[i] = raw[i] - y[i];
          h[i] = 1;
        }
      }
    }
  }

  /** The mean loss at the raw scores. */
  public static double loss(GbdtParams.Loss loss, double[] y, double[] raw) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      sum +=
          switch (loss) {
            case LOGISTIC -> ColumnOps.log1pExp(raw[i]) - y[i] * raw[i];
            case SQUARED -> 0.5 * (raw[i] - y[i]) * (raw[i] - y[i]);
          };
    }
    return sum / y.length;
  }
}
