package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.ml.tree.QuantileBinning;
import java.util.Arrays;

/**
 * Where each feature's bins end: a present value {@code x} falls in the first bin {@code k} with
 * {@code x ≤ splitPoints[f][k]}, or in the last regular bin {@code splitPoints[f].length} when it
 * exceeds every point (FATE's upper-bound convention without the maximum itself); a missing value
 * (NaN) falls in bin {@code splitPoints[f].length + 1}, which exists only for a feature that had
 * missing values when the edges were fitted ({@link #hasMissingBin}).
 *
 * <p>{@code quantile}: the points of the feature's quantiles (the same cut as SecureBoost's {@link
 * QuantileBinning}: exact on the party's rows, one bin per value for a feature with few distinct
 * values); {@code bucket}: equal widths between the feature's minimum and maximum.
 */
public record BinEdges(double[][] splitPoints, boolean[] missingBin) {
  /**
   * Most bins of a feature, missing values' bin included: room for FATE's 1,000 initial bins of the
   * optimal method (bin indexes are unsigned 16-bit; the bound keeps the count messages small).
   */
  public static final int MAX_BINS = 4096;

  public BinEdges {
    if (splitPoints.length != missingBin.length) {
      throw new IllegalArgumentException("one missing flag per feature");
    }
  }

  /** Fits {@code method} ({@code quantile} or {@code bucket}) with at most {@code binNum} bins. */
  public static BinEdges fit(Table table, String method, int binNum, ComputingEngine engine) {
    if (binNum < 2 || binNum > MAX_BINS - 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "bin_num must be between 2 and " + (MAX_BINS - 1) + ", got " + binNum);
    }
    int features = table.features();
    double[][] points = new double[features][];
    boolean[] missing = new boolean[features];
    engine.forEachRange(
        features,
        1,
        (from, to) -> {
          for (int f = from; f < to; f++) {
            double[] sorted = table.column(f).clone();
            Arrays.sort(sorted); // NaN sorts last
            int present = sorted.length;
            while (present > 0 && Double.isNaN(sorted[present - 1])) {
              present--;
            }
            missing[f] = present < sorted.length;
            double[] values = Arrays.copyOf(sorted, present);
            points[f] =
                switch (method) {
                  case "quantile" -> QuantileBinning.cutPoints(values, binNum);
                  case "bucket" -> bucket(values, binNum);
                  default ->
                      throw new FederaException(
                          ErrorCode.INVALID_ARGUMENT,
                          "binning method '" + method + "' is not one of quantile, bucket");
                };
          }
        });
    return new BinEdges(points, missing);
  }

  /** Equal-width points between the sorted values' ends (none for a constant feature). */
  static double[] bucket(double[] sorted, int binNum) {
    if (sorted.length == 0 || sorted[0] == sorted[sorted.length - 1]) {
      return new double[0];
    }
    double lo = sorted[0];
    double width = (sorted[sorted.length - 1] - lo) / binNum;
    double[] points = new double[binNum - 1];
    for (int k = 1; k < binNum; k++) {
      points[k - 1] = lo + k * width;
    }
    return points;
  }

  public int features() {
    return splitPoints.length;
  }

  /** Bins of a feature, its missing values' bin included when it has one. */
  public int bins(int feature) {
    return splitPoints[feature].length + 1 + (missingBin[feature] ? 1 : 0);
  }

  /** The bin of {@code value}; a missing value's bin is the last ({@link #bins} − 1). */
  public int binOf(int feature, double value) {
    double[] points = splitPoints[feature];
    if (Double.isNaN(value)) {
      if (!missingBin[feature]) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "feature "
                + feature
                + " has a missing value but had none when its bins were fitted, so it has no bin"
                + " for them; fill the value, or fit the binning on rows with missing values");
      }
      return points.length + 1;
    }
    int k = Arrays.binarySearch(points, value);
    if (k < 0) {
      return -k - 1;
    }
    while (k > 0 && points[k - 1] == value) {
      k--; // equal points (an edited model): the first
    }
    return k;
  }

  /** Bin indexes of every row, column-major {@code [feature][row]}, unsigned 16-bit. */
  public short[][] transform(Table table, ComputingEngine engine) {
    int features = table.features();
    if (features != splitPoints.length) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "the bins were fitted on " + splitPoints.length + " features, the table has " + features);
    }
    short[][] bins = new short[features][table.rows()];
    engine.forEachRange(
        features,
        1,
        (from, to) -> {
          for (int f = from; f < to; f++) {
            double[] col = table.column(f);
            for (int i = 0; i < col.length; i++) {
              bins[f][i] = (short) binOf(f, col[i]);
            }
          }
        });
    return bins;
  }

  /** Rows per bin of each feature, from {@link #transform}'s bins. */
  public long[][] counts(short[][] bins) {
    long[][] out = new long[bins.length][];
    for (int f = 0; f < bins.length; f++) {
      out[f] = new long[bins(f)];
      for (short b : bins[f]) {
        out[f][b & 0xffff]++;
      }
    }
    return out;
  }
}
