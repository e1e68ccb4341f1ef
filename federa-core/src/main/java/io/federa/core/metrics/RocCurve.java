package io.federa.core.metrics;

/**
 * Points of the ROC curve, one per distinct score threshold in decreasing order, starting at (0, 0)
 * with an infinite threshold, as scikit-learn's {@code roc_curve(..., drop_intermediate=False)}.
 * The KS curve plots {@code tpr} and {@code fpr} against the threshold; KS is the largest gap
 * between them.
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
  public RocCurve {
    fpr = fpr.clone();
    tpr = tpr.clone();
    thresholds = thresholds.clone();
  }

  public int size() {
    return thresholds.length;
  }

  /** Kolmogorov–Smirnov statistic: {@code max(tpr - fpr)}. */
  public double ks() {
    double best = 0;
    for (int i = 0; i < tpr.length; i++) {
      best = Math.max(best, tpr[i] - fpr[i]);
    }
    return best;
  }

  /** Threshold at which the KS statistic is reached. */
  public double ksThreshold() {
    double best = -1;
    double at = Double.NaN;
    for (int i = 0; i < tpr.length; i++) {
      if (tpr[i] - fpr[i] > best) {
        best = tpr[i] - fpr[i];
        at = thresholds[i];
      }
    }
    return at;
  }
}
