package io.federa.ml.tree;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import java.util.Arrays;

/**
 * Cuts each feature into at most {@code maxBins} bins at its quantiles, as FATE's quantile binning
 * does for SecureBoost. A value {@code x} falls in the first bin {@code k} with {@code x ≤
 * splitPoints[k]}, or in the last bin when it exceeds every split point. A feature with at most
 * {@code maxBins} distinct values gets one bin per value. A missing value (NaN) falls in its own
 * bin, {@link #missingBin}, after the others (at most 255 others then): the split search sends it
 * left or right, whichever gains more (XGBoost's sparsity-aware split finding).
 */
public final class QuantileBinning {
  /** Most bins allowed (bin indices are stored in a byte). */
  public static final int MAX_BINS = 256;

  private final double[][] splitPoints;

  private QuantileBinning(double[][] splitPoints) {
    this.splitPoints = splitPoints;
  }

  public static QuantileBinning fit(Table table, int maxBins, ComputingEngine engine) {
    if (maxBins < 2 || maxBins > MAX_BINS) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "bins must be between 2 and " + MAX_BINS + ", got " + maxBins);
    }
    int features = table.features();
    double[][] points = new double[features][];
    int n = table.rows();
    for (int f = 0; f < features; f++) {
      double[] sorted = table.column(f).clone();
      Arrays.sort(sorted); // NaN sorts last
      int present = sorted.length;
      while (present > 0 && Double.isNaN(sorted[present - 1])) {
        present--;
      }
      points[f] =
          cutPoints(
              Arrays.copyOf(sorted, present),
              present < sorted.length ? Math.min(maxBins, MAX_BINS - 1) : maxBins);
    }
    return new QuantileBinning(points);
  }

  /** Split points of one feature from its sorted values. */
  public static double[] cutPoints(double[] sorted, int maxBins) {
    int n = sorted.length;
    double[] distinct = new double[Math.min(n, maxBins + 1)];
    int unique = 0;
    for (int i = 0; i < n && unique <= maxBins; i++) {
      if (unique == 0 || sorted[i] != distinct[unique - 1]) {
        distinct[unique++] = sorted[i];
      }
    }
    if (unique <= maxBins) {
      return Arrays.copyOf(distinct, Math.max(0, unique - 1));
    }
    double[] cuts = new double[maxBins - 1];
    int m = 0;
    double max = sorted[n - 1];
    for (int k = 1; k < maxBins; k++) {
      int index = (int) Math.ceil((double) k * n / maxBins) - 1;
      double v = sorted[Math.max(0, index)];
      if (v < max && (m == 0 || v > cuts[m - 1])) {
        cuts[m++] = v;
      }
    }
    return Arrays.copyOf(cuts, m);
  }

  public int features() {
    return splitPoints.length;
  }

  /** Number of bins of a feature. */
  public int bins(int feature) {
    return splitPoints[feature].length + 1;
  }

  /**
   * Value of split point {@code bin} of a feature: rows with {@code x ≤} it go left. The last bin's
   * is {@link Double#MAX_VALUE} — every present value goes left, the missing ones right — which
   * only a feature with missing values splits on.
   */
  public double splitPoint(int feature, int bin) {
    return bin < splitPoints[feature].length ? splitPoints[feature][bin] : Double.MAX_VALUE;
  }

  /** The bin of missing values (NaN): one past the feature's last bin. */
  public int missingBin(int feature) {
    return splitPoints[feature].length + 1;
  }

  public int binOf(int feature, double value) {
    if (Double.isNaN(value)) {
      return missingBin(feature);
    }
    int k = Arrays.binarySearch(splitPoints[feature], value);
    return k >= 0 ? k : -k - 1;
  }

  /** Bin indices of every row, column-major: {@code [feature][row]}, unsigned bytes. */
  public byte[][] transform(Table table, ComputingEngine engine) {
    int features = table.features();
    byte[][] bins = new byte[features][table.rows()];
    engine.forEachRange(
        table.rows(),
        (from, to) -> {
          for (int f = 0; f < features; f++) {
            double[] col = table.column(f);
            for (int i = from; i < to; i++) {
              bins[f][i] = (byte) binOf(f, col[i]);
            }
          }
        });
    return bins;
  }
}
