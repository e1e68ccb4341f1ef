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

  /**
   * Boosts up to {@code params.trees()} rounds, stopping earlier as {@link BoostingConvergence}
   * says (and telling {@code listener} why); a round is one tree, or one per class for the softmax
   * (tree {@code t = round·K + k} fits class {@code k}; row and feature sampling draw by {@code
   * t}), or with {@link GbdtParams#multiOutput} one tree fitting every class at once.
   */
  public static GbdtModel fit(
      Table table, GbdtParams params, ComputingEngine engine, TrainingListener listener) {
    Targets targets = Targets.of(params.loss(), table.labels());
    int n = table.rows();
    int dims = targets.dimensions();
    QuantileBinning binning = QuantileBinning.fit(table, params.bins(), engine);
    byte[][] bins = binning.transform(table, engine);
    double[] initial = targets.initialScores();
    double[][] raw = new double[dims][n];
    for (int k = 0; k < dims; k++) {
      Arrays.fill(raw[k], initial[k]);
    }
    double[][] g = new double[dims][n];
    double[][] h = new double[dims][n];
    List<String> names = table.schema().featureNames();
    List<Tree> trees = new ArrayList<>();
    int perRound = params.treesPerRound(dims);
    int outputs = params.outputsPerTree(dims);
    double before = Double.NaN;
    for (int round = 1; round <= params.trees(); round++) {
      targets.gradients(raw, g, h);
      for (int k = 0; k < perRound; k++) {
        int t = (round - 1) * perRound + k;
        int from = outputs == 1 ? k : 0;
        double[][] gk = Arrays.copyOfRange(g, from, from + outputs);
        double[][] hk = Arrays.copyOfRange(h, from, from + outputs);
        params.sampling().apply(t, gk, hk);
        boolean[] usable = params.featureMask(names, t);
        double[][] rk = Arrays.copyOfRange(raw, from, from + outputs);
        trees.add(new TreeGrower(binning, bins, gk, hk, params, usable, engine).grow(rk));
      }
      double loss = targets.loss(raw);
      listener.onIteration(round, params.trees(), loss);
      boolean converged = BoostingConvergence.converged(params.tol(), before, loss);
      if (converged || round == params.trees()) {
        listener.onStop(converged, BoostingConvergence.reason(params, round, before, loss));
        break;
      }
      before = loss;
    }
    return new GbdtModel(params.loss(), initial, trees, names, targets.classes());
  }

  /** Refuses labels the loss cannot use (the logistic loss needs 0 and 1), naming the row. */
  public static void requireLabels(GbdtParams.Loss loss, double[] y) {
    if (loss == GbdtParams.Loss.SOFTMAX) {
      for (int i = 0; i < y.length; i++) {
        if (y[i] != Math.rint(y[i])) {
          throw new FederaException(
              ErrorCode.INVALID_INPUT,
              "row "
                  + (i + 1)
                  + " has label "
                  + y[i]
                  + " but the softmax loss needs class labels (whole numbers); use the squared"
                  + " loss for regression");
        }
      }
      return;
    }
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
      case SOFTMAX -> throw new IllegalArgumentException("softmax scores start per class: Targets");
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
      case SOFTMAX -> throw new IllegalArgumentException("softmax has one gradient per class");
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
            case SOFTMAX -> throw new IllegalArgumentException("softmax loss: Targets");
          };
    }
    return sum / y.length;
  }
}
