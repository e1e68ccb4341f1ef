package io.federa.ml.tree;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.linalg.ColumnOps;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * The labels as boosting sees them: how many scores a row has ({@code dimensions}: 1, or one per
 * class for the softmax), where they start, and the loss's derivatives at the current scores. The
 * centralized GBDT and SecureBoost's guest both boost through it, so they compute the same numbers.
 *
 * <p>Softmax (multi-class): the classes are the labels' distinct values in ascending order; each
 * round fits one tree per class to {@code g_k = p_k − [y = k]}, {@code h_k = p_k·(1 − p_k)} with
 * {@code p = softmax(scores)} taken before the round (XGBoost's {@code multi:softprob}, FATE's
 * one-tree-per-class mode); scores start at the log of each class's share.
 */
public final class Targets {
  private final GbdtParams.Loss loss;
  private final double[] y;
  private final double[] classes;
  private final int[] label;

  private Targets(GbdtParams.Loss loss, double[] y, double[] classes, int[] label) {
    this.loss = loss;
    this.y = y;
    this.classes = classes;
    this.label = label;
  }

  /** Checks the labels against the loss (naming a bad row) and indexes the classes. */
  public static Targets of(GbdtParams.Loss loss, double[] y) {
    GradientBoosting.requireLabels(loss, y);
    if (loss != GbdtParams.Loss.SOFTMAX) {
      return new Targets(loss, y, null, null);
    }
    TreeSet<Double> distinct = new TreeSet<>();
    for (double v : y) {
      distinct.add(v);
    }
    if (distinct.size() < 2) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the softmax loss needs at least two classes, but every label is " + y[0]);
    }
    double[] classes = distinct.stream().mapToDouble(Double::doubleValue).toArray();
    int[] label = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      label[i] = Arrays.binarySearch(classes, y[i]);
    }
    return new Targets(loss, y, classes, label);
  }

  /**
   * Other rows' labels (validation rows) under these targets: the same classes, a label the
   * training rows do not have refused by row.
   */
  public Targets forLabels(double[] other) {
    if (classes == null) {
      GradientBoosting.requireLabels(loss, other);
      return new Targets(loss, other, null, null);
    }
    int[] index = new int[other.length];
    for (int i = 0; i < other.length; i++) {
      index[i] = Arrays.binarySearch(classes, other[i]);
      if (index[i] < 0) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "row "
                + (i + 1)
                + " has label "
                + other[i]
                + ", a class the training rows do not have ("
                + Arrays.toString(classes)
                + ")");
      }
    }
    return new Targets(loss, other, classes, index);
  }

  public GbdtParams.Loss loss() {
    return loss;
  }

  /** The classes in ascending order (softmax), or null. */
  public double[] classes() {
    return classes == null ? null : classes.clone();
  }

  /** Scores per row: the number of classes for the softmax, else 1. */
  public int dimensions() {
    return classes == null ? 1 : classes.length;
  }

  /** Where each dimension's scores start. */
  public double[] initialScores() {
    if (classes == null) {
      return new double[] {GradientBoosting.initialScore(loss, y)};
    }
    double[] share = new double[classes.length];
    for (int k : label) {
      share[k]++;
    }
    for (int k = 0; k < share.length; k++) {
      share[k] = Math.log(Math.max(share[k] / y.length, 1e-15));
    }
    return share;
  }

  /** First and second derivatives at {@code raw[dimension][row]}, into {@code g} and {@code h}. */
  public void gradients(double[][] raw, double[][] g, double[][] h) {
    if (classes == null) {
      GradientBoosting.gradients(loss, y, raw[0], g[0], h[0]);
      return;
    }
    int dims = classes.length;
    double[] p = new double[dims];
    for (int i = 0; i < y.length; i++) {
      softmax(raw, i, p);
      for (int k = 0; k < dims; k++) {
        g[k][i] = p[k] - (label[i] == k ? 1 : 0);
        h[k][i] = Math.max(p[k] * (1 - p[k]), 1e-16);
      }
    }
  }

  /** The mean loss at {@code raw}: cross-entropy of the true class for the softmax. */
  public double loss(double[][] raw) {
    if (classes == null) {
      return GradientBoosting.loss(loss, y, raw[0]);
    }
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double[] r : raw) {
        max = Math.max(max, r[i]);
      }
      double z = 0;
      for (double[] r : raw) {
        z += Math.exp(r[i] - max);
      }
      sum += max + Math.log(z) - raw[label[i]][i];
    }
    return sum / y.length;
  }

  /** The class probabilities of row {@code i} (stable: the largest score is subtracted first). */
  public static void softmax(double[][] raw, int i, double[] p) {
    double max = Double.NEGATIVE_INFINITY;
    for (double[] r : raw) {
      max = Math.max(max, r[i]);
    }
    double z = 0;
    for (int k = 0; k < raw.length; k++) {
      p[k] = Math.exp(raw[k][i] - max);
      z += p[k];
    }
    for (int k = 0; k < raw.length; k++) {
      p[k] /= z;
    }
  }

  /**
   * Probabilities from scores: the softmax over dimensions, or the sigmoid of the one score
   * (logistic), or the scores themselves (squared).
   */
  public static double[][] probabilities(GbdtParams.Loss loss, double[][] raw) {
    int n = raw[0].length;
    double[][] out = new double[raw.length][n];
    if (loss == GbdtParams.Loss.SOFTMAX) {
      double[] p = new double[raw.length];
      for (int i = 0; i < n; i++) {
        softmax(raw, i, p);
        for (int k = 0; k < p.length; k++) {
          out[k][i] = p[k];
        }
      }
      return out;
    }
    for (int i = 0; i < n; i++) {
      out[0][i] = loss == GbdtParams.Loss.LOGISTIC ? ColumnOps.sigmoid(raw[0][i]) : raw[0][i];
    }
    return out;
  }
}
