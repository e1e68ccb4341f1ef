package io.federa.core.metrics;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Arrays;

/**
 * Evaluation metrics with scikit-learn's definitions, so that Federa's numbers can be compared with
 * the references: binary (AUC with ties, KS, ROC, accuracy, precision, recall, F1, log loss),
 * multi-class (accuracy, confusion matrix, macro scores, log loss) and regression (RMSE, MAE, R²).
 *
 * <p>Binary labels are 0 and 1; a score is the predicted probability (or any monotone score) of 1.
 */
public final class Metrics {
  /** Probabilities are clipped to {@code [EPS, 1 - EPS]} in log loss (float64 machine epsilon). */
  public static final double EPS = Math.ulp(1.0);

  private Metrics() {}

  /**
   * Area under the ROC curve by the Mann–Whitney rank sum; tied scores share their average rank,
   * which equals the trapezoidal area scikit-learn computes.
   */
  public static double auc(double[] labels, double[] scores) {
    checkBinary(labels, scores);
    int n = labels.length;
    Integer[] order = sortedIndex(scores);
    double rankSumPositive = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSumPositive += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "AUC needs both classes, but all "
              + n
              + " labels are "
              + (positives == 0 ? "0" : "1")
              + "; evaluate on data with positive and negative rows");
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** The ROC curve with every distinct threshold. */
  public static RocCurve roc(double[] labels, double[] scores) {
    checkBinary(labels, scores);
    int n = labels.length;
    Integer[] order = sortedIndex(scores);
    long positives = 0;
    for (double y : labels) {
      positives += y == 1 ? 1 : 0;
    }
    long negatives = n - positives;
    double[] fpr = new double[n + 1];
    double[] tpr = new double[n + 1];
    double[] thresholds = new double[n + 1];
    thresholds[0] = Double.POSITIVE_INFINITY;
    int points = 1;
    long tp = 0;
    long fp = 0;
    for (int k = n - 1; k >= 0; k--) {
      int row = order[k];
      if (labels[row] == 1) {
        tp++;
      } else {
        fp++;
      }
      if (k == 0 || scores[order[k - 1]] != scores[row]) {
        fpr[points] = negatives == 0 ? 0 : (double) fp / negatives;
        tpr[points] = positives == 0 ? 0 : (double) tp / positives;
        thresholds[points] = scores[row];
        points++;
      }
    }
    return new RocCurve(
        Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thresholds, points));
  }

  /** Kolmogorov–Smirnov statistic, {@code max(tpr - fpr)} over thresholds. */
  public static double ks(double[] labels, double[] scores) {
    return roc(labels, scores).ks();
  }

  /** Confusion matrix of binary predictions {@code score >= threshold}. */
  public static ConfusionMatrix binaryConfusion(
      double[] labels, double[] scores, double threshold) {
    checkBinary(labels, scores);
    long[][] counts = new long[2][2];
    for (int i = 0; i < labels.length; i++) {
      counts[(int) labels[i]][scores[i] >= threshold ? 1 : 0]++;
    }
    return new ConfusionMatrix(counts);
  }

  /** Confusion matrix of class predictions, classes {@code 0..classes-1}. */
  public static ConfusionMatrix confusion(double[] labels, int[] predicted, int classes) {
    checkLength(labels.length, predicted.length);
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < labels.length; i++) {
      int t = classIndex(labels[i], classes, i);
      counts[t][predicted[i]]++;
    }
    return new ConfusionMatrix(counts);
  }

  /** Binary log loss (cross-entropy), probabilities clipped to {@code [EPS, 1-EPS]}. */
  public static double logLoss(double[] labels, double[] probabilities) {
    checkBinary(labels, probabilities);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = Math.min(Math.max(probabilities[i], EPS), 1 - EPS);
      sum -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    return sum / labels.length;
  }

  /**
   * Multi-class log loss; {@code probabilities[i]} holds row i's class probabilities, which are
   * clipped and renormalised as scikit-learn does.
   */
  public static double logLoss(double[] labels, double[][] probabilities) {
    checkLength(labels.length, probabilities.length);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double[] row = probabilities[i];
      int t = classIndex(labels[i], row.length, i);
      double total = 0;
      for (double p : row) {
        total += Math.min(Math.max(p, EPS), 1 - EPS);
      }
      double p = Math.min(Math.max(row[t], EPS), 1 - EPS) / total;
      sum -= Math.log(p);
    }
    return sum / labels.length;
  }

  public static double accuracy(double[] labels, int[] predicted) {
    checkLength(labels.length, predicted.length);
    long correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += labels[i] == predicted[i] ? 1 : 0;
    }
    return (double) correct / labels.length;
  }

  public static double mse(double[] labels, double[] predictions) {
    checkLength(labels.length, predictions.length);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double d = labels[i] - predictions[i];
      sum += d * d;
    }
    return sum / labels.length;
  }

  public static double rmse(double[] labels, double[] predictions) {
    return Math.sqrt(mse(labels, predictions));
  }

  public static double mae(double[] labels, double[] predictions) {
    checkLength(labels.length, predictions.length);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      sum += Math.abs(labels[i] - predictions[i]);
    }
    return sum / labels.length;
  }

  /**
   * Coefficient of determination; as scikit-learn, 1 for a perfect fit of constant labels, else 0.
   */
  public static double r2(double[] labels, double[] predictions) {
    checkLength(labels.length, predictions.length);
    double mean = 0;
    for (double y : labels) {
      mean += y;
    }
    mean /= labels.length;
    double residual = 0;
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      residual += (labels[i] - predictions[i]) * (labels[i] - predictions[i]);
      total += (labels[i] - mean) * (labels[i] - mean);
    }
    if (total == 0) {
      return residual == 0 ? 1 : 0;
    }
    return 1 - residual / total;
  }

  private static Integer[] sortedIndex(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    return order;
  }

  private static int classIndex(double label, int classes, int row) {
    int t = (int) label;
    if (t != label || t < 0 || t >= classes) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "row "
              + (row + 1)
              + " has label "
              + label
              + " but classes are 0.."
              + (classes - 1)
              + "; encode class labels as 0, 1, 2, …");
    }
    return t;
  }

  private static void checkBinary(double[] labels, double[] scores) {
    checkLength(labels.length, scores.length);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "row "
                + (i + 1)
                + " has label "
                + labels[i]
                + " but a binary metric needs labels 0 and 1; use the multi-class metrics");
      }
      if (Double.isNaN(scores[i])) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "row " + (i + 1) + " has a NaN score; the model diverged");
      }
    }
  }

  private static void checkLength(int labels, int predictions) {
    if (labels != predictions) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          labels + " labels but " + predictions + " predictions; score every labelled row");
    }
    if (labels == 0) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "no rows to evaluate");
    }
  }
}
