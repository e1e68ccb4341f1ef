package io.federa.ml.tree;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;

/**
 * Plaintext histograms of binned features and the best second-order split over them: the
 * centralized GBDT's search, and the guest's over its own features in SecureBoost (which therefore
 * picks exactly what the centralized GBDT would among them).
 */
public final class SplitSearch {
  private SplitSearch() {}

  /**
   * A split: rows with bin ≤ {@code bin} of {@code feature} go left, and rows missing the feature
   * go left if {@code missingLeft}, else right.
   */
  public record Split(int feature, int bin, double gain, boolean missingLeft) {}

  /**
   * Per feature and bin: gradient sum, hessian sum, row count, at index {@code 3·(f·stride + b)}
   * with {@code stride} the most bins of any feature. A row whose hessian is 0 is out of this
   * tree's bag ({@link RowSampling}: a loss's own hessian is never 0) and counts nowhere.
   */
  public static double[] histogram(
      byte[][] bins, int stride, int[] rows, double[] g, double[] h, ComputingEngine engine) {
    int features = bins.length;
    int width = stride * 3;
    return engine.aggregate(
        rows.length,
        () -> new double[features * width],
        (acc, from, to) -> {
          for (int f = 0; f < features; f++) {
            byte[] fb = bins[f];
            int base = f * width;
            for (int k = from; k < to; k++) {
              int i = rows[k];
              if (h[i] == 0) {
                continue; // out of this tree's bag (RowSampling)
              }
              int at = base + 3 * (fb[i] & 0xff);
              acc[at] += g[i];
              acc[at + 1] += h[i];
              acc[at + 2] += 1;
            }
          }
          return acc;
        },
        ColumnOps::addInto);
  }

  /**
   * The best split of a node of {@code rows} rows by {@link SplitMath#gain}, under the minimum leaf
   * size and child weight, among the {@code usable} features (null: all); null when none gains (the
   * node is a leaf). Features are tried in order and bins ascending; a later candidate wins only if
   * it {@link #beats} the best so far.
   */
  public static Split best(
      double[] hist, QuantileBinning binning, int stride, GbdtParams params, boolean[] usable) {
    int width = stride * 3;
    int rows = 0; // the node's rows in the bag: the counts of any one feature's bins
    for (int k = 0; k <= binning.missingBin(0); k++) {
      rows += (int) hist[3 * k + 2];
    }
    if (rows < 2 * params.minSamplesLeaf()) {
      return null;
    }
    Split best = null;
    for (int f = 0; f < binning.features(); f++) {
      if (!FeatureSampling.usable(usable, f)) {
        continue;
      }
      int base = f * width;
      int b = binning.bins(f);
      int m = base + 3 * binning.missingBin(f);
      double gm = hist[m];
      double hm = hist[m + 1];
      double nm = hist[m + 2];
      double gTotal = gm;
      double hTotal = hm;
      for (int k = 0; k < b; k++) {
        gTotal += hist[base + 3 * k];
        hTotal += hist[base + 3 * k + 1];
      }
      double gl = 0;
      double hl = 0;
      double nl = 0;
      // bin k's split, missing rows right then left; with missing rows, the last bin too
      for (int k = 0; k < (nm > 0 ? b : b - 1); k++) {
        gl += hist[base + 3 * k];
        hl += hist[base + 3 * k + 1];
        nl += hist[base + 3 * k + 2];
        best = better(best, f, k, false, gl, hl, nl, gTotal, hTotal, rows, params);
        if (nm > 0 && k < b - 1) {
          best = better(best, f, k, true, gl + gm, hl + hm, nl + nm, gTotal, hTotal, rows, params);
        }
      }
    }
    return best;
  }

  /** {@code best}, or the candidate if it is allowed and {@link #beats} it. */
  private static Split better(
      Split best,
      int f,
      int k,
      boolean missingLeft,
      double gl,
      double hl,
      double nl,
      double gTotal,
      double hTotal,
      int rows,
      GbdtParams params) {
    double nr = rows - nl;
    double hr = hTotal - hl;
    if (nl < params.minSamplesLeaf() || nr < params.minSamplesLeaf()) {
      return best;
    }
    if (hl < params.minChildWeight() || hr < params.minChildWeight()) {
      return best;
    }
    double gain = SplitMath.gain(gl, hl, gTotal - gl, hr, params.lambda());
    if (gain > MIN_GAIN && (best == null || beats(gain, best.gain()))) {
      return new Split(f, k, gain, missingLeft);
    }
    return best;
  }

  /** The least gain that makes a split (a smaller one is rounding). */
  public static final double MIN_GAIN = 1e-12;

  /**
   * Whether a later candidate's gain beats the best so far: by more than a relative 1e-11. Gains
   * that equal within rounding — two features that cut a node's rows alike, one summed in doubles
   * and one in SecureBoost's fixed point — are a tie, and a tie keeps the earlier candidate (the
   * guest's features, then each host's in order), in the centralized GBDT and in SecureBoost alike.
   */
  public static boolean beats(double gain, double best) {
    return gain > best + 1e-11 * Math.abs(best);
  }

  /**
   * {@code rows} split by bin: those with bin ≤ {@code split.bin()} of its feature (and the missing
   * ones if it sends them left), and the rest.
   */
  public static int[][] partition(byte[][] bins, QuantileBinning binning, int[] rows, Split split) {
    int feature = split.feature();
    int bin = split.bin();
    int missing = binning.missingBin(feature);
    boolean missingLeft = split.missingLeft();
    byte[] fb = bins[feature];
    int[] l = new int[rows.length];
    int[] r = new int[rows.length];
    int nl = 0;
    int nr = 0;
    for (int i : rows) {
      int b = fb[i] & 0xff;
      if (b == missing ? missingLeft : b <= bin) {
        l[nl++] = i;
      } else {
        r[nr++] = i;
      }
    }
    return new int[][] {java.util.Arrays.copyOf(l, nl), java.util.Arrays.copyOf(r, nr)};
  }

  /** The most bins of any feature, its missing bin included (the histograms' stride). */
  public static int stride(QuantileBinning binning) {
    int most = 1;
    for (int f = 0; f < binning.features(); f++) {
      most = Math.max(most, binning.missingBin(f) + 1);
    }
    return most;
  }
}
