package io.federa.ml.eval;

import io.federa.core.metrics.Metrics;
import io.federa.core.metrics.RocCurve;
import java.util.Arrays;

/**
 * The curves FATE-Board draws for a binary model, at up to {@code points} thresholds spread evenly
 * over the ROC curve's points (every distinct score, highest first): at each, the rows scored at
 * least the threshold are predicted positive. {@code population}: their share of the rows; {@code
 * tpr} (recall, the gain curve), {@code fpr}, {@code precision}, {@code lift} (precision over the
 * positive rate), {@code ks} (tpr − fpr), and the confusion matrix {@code tp, fp, tn, fn}.
 */
public record BinaryCurves(
    double[] threshold,
    double[] population,
    double[] tpr,
    double[] fpr,
    double[] precision,
    double[] lift,
    double[] ks,
    long[] tp,
    long[] fp,
    long[] tn,
    long[] fn) {

  /** The curve names, as tracking stores them ({@code curve_<name>} at step 1, 2, …). */
  public static final java.util.List<String> NAMES =
      java.util.List.of(
          "threshold",
          "population",
          "tpr",
          "fpr",
          "precision",
          "lift",
          "ks",
          "tp",
          "fp",
          "tn",
          "fn");

  public static BinaryCurves of(double[] labels, double[] scores, int points) {
    RocCurve roc = Metrics.roc(labels, scores);
    long positives = Arrays.stream(labels).filter(y -> y == 1).count();
    long n = labels.length;
    long negatives = n - positives;
    int size = Math.min(points, roc.size() - 1); // without (0, 0) at the infinite threshold
    double[][] d = new double[7][size];
    long[][] c = new long[4][size];
    for (int k = 0; k < size; k++) {
      int i =
          size == 1
              ? roc.size() - 1
              : 1 + (int) Math.round((double) k * (roc.size() - 2) / (size - 1));
      long tp = Math.round(roc.tpr()[i] * positives);
      long fp = Math.round(roc.fpr()[i] * negatives);
      d[0][k] = roc.thresholds()[i];
      d[1][k] = (double) (tp + fp) / n;
      d[2][k] = roc.tpr()[i];
      d[3][k] = roc.fpr()[i];
      d[4][k] = tp + fp == 0 ? 1 : (double) tp / (tp + fp);
      d[5][k] = positives == 0 ? 0 : d[4][k] / ((double) positives / n);
      d[6][k] = roc.tpr()[i] - roc.fpr()[i];
      c[0][k] = tp;
      c[1][k] = fp;
      c[2][k] = negatives - fp;
      c[3][k] = positives - tp;
    }
    return new BinaryCurves(d[0], d[1], d[2], d[3], d[4], d[5], d[6], c[0], c[1], c[2], c[3]);
  }

  /** The value of curve {@code name} at point {@code k}. */
  public double value(String name, int k) {
    return switch (name) {
      case "threshold" -> threshold[k];
      case "population" -> population[k];
      case "tpr" -> tpr[k];
      case "fpr" -> fpr[k];
      case "precision" -> precision[k];
      case "lift" -> lift[k];
      case "ks" -> ks[k];
      case "tp" -> tp[k];
      case "fp" -> fp[k];
      case "tn" -> tn[k];
      case "fn" -> fn[k];
      default -> throw new IllegalArgumentException(name);
    };
  }

  public int size() {
    return threshold.length;
  }

  /**
   * Population stability index of {@code actual} against {@code expected} (scores of the training
   * and the validation rows): {@code bins} quantile bins of {@code expected}, {@code Σ (a − e)·ln(a
   * / e)} over the bins' shares, a share of 0 counted as 1e-6 (so an empty bin weighs, not divides
   * by zero). Below 0.1 is usually read as stable, above 0.25 as shifted.
   */
  public static double psi(double[] expected, double[] actual, int bins) {
    double[] sorted = expected.clone();
    Arrays.sort(sorted);
    double[] cuts = io.federa.ml.tree.QuantileBinning.cutPoints(sorted, bins);
    double[] e = shares(expected, cuts);
    double[] a = shares(actual, cuts);
    double psi = 0;
    for (int b = 0; b < e.length; b++) {
      double eb = Math.max(e[b], 1e-6);
      double ab = Math.max(a[b], 1e-6);
      psi += (ab - eb) * Math.log(ab / eb);
    }
    return psi;
  }

  private static double[] shares(double[] values, double[] cuts) {
    double[] out = new double[cuts.length + 1];
    for (double v : values) {
      int k = Arrays.binarySearch(cuts, v);
      out[k >= 0 ? k : -k - 1]++;
    }
    for (int b = 0; b < out.length; b++) {
      out[b] /= Math.max(1, values.length);
    }
    return out;
  }
}
