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
    return histogram(bins, stride, rows, new double[][] {g}, new double[][] {h}, engine);
  }

  /**
   * As {@link #histogram(byte[][], int, int[], double[], double[], ComputingEngine)} for {@code K =
   * g.length} outputs: per bin {@code (g_0, h_0, …, g_{K−1}, h_{K−1}, count)}, {@link #width}
   * values at {@code width·(f·stride + b)}; the bag is read from output 0's hessians.
   */
  public static double[] histogram(
      byte[][] bins, int stride, int[] rows, double[][] g, double[][] h, ComputingEngine engine) {
    int features = bins.length;
    int outputs = g.length;
    int per = width(outputs);
    int width = stride * per;
    double[] bag = h[0];
    return engine.aggregate(
        rows.length,
        () -> new double[features * width],
        (acc, from, to) -> {
          for (int f = 0; f < features; f++) {
            byte[] fb = bins[f];
            int base = f * width;
            for (int k = from; k < to; k++) {
              int i = rows[k];
              if (bag[i] == 0) {
                continue; // out of this tree's bag (RowSampling)
              }
              int at = base + per * (fb[i] & 0xff);
              for (int o = 0; o < outputs; o++) {
                acc[at + 2 * o] += g[o][i];
                acc[at + 2 * o + 1] += h[o][i];
              }
              acc[at + per - 1] += 1;
            }
          }
          return acc;
        },
        ColumnOps::addInto);
  }

  /** Values per bin of a histogram of {@code outputs} outputs. */
  public static int width(int outputs) {
    return 2 * outputs + 1;
  }

  /**
   * The best split of a one-output histogram; see {@link #best(double[], int, QuantileBinning, int,
   * GbdtParams, boolean[])}.
   */
  public static Split best(
      double[] hist, QuantileBinning binning, int stride, GbdtParams params, boolean[] usable) {
    return best(hist, 1, binning, stride, params, usable);
  }

  /**
   * The best split of a node of {@code rows} rows by {@link SplitMath#gain} (summed over the {@code
   * outputs}), under the minimum leaf size and child weight (the hessians summed over the outputs),
   * among the {@code usable} features (null: all); null when none gains (the node is a leaf).
   * Features are tried in order and bins ascending; a later candidate wins only if it {@link
   * #beats} the best so far.
   */
  public static Split best(
      double[] hist,
      int outputs,
      QuantileBinning binning,
      int stride,
      GbdtParams params,
      boolean[] usable) {
    int per = width(outputs);
    int width = stride * per;
    int rows = 0; // the node's rows in the bag: the counts of any one feature's bins
    for (int k = 0; k <= binning.missingBin(0); k++) {
      rows += (int) hist[per * k + per - 1];
    }
    if (rows < 2 * params.minSamplesLeaf()) {
      return null;
    }
    Split best = null;
    Sums total = new Sums(outputs);
    Sums missing = new Sums(outputs);
    Sums left = new Sums(outputs);
    Sums withMissing = new Sums(outputs);
    for (int f = 0; f < binning.features(); f++) {
      if (!FeatureSampling.usable(usable, f)) {
        continue;
      }
      int base = f * width;
      int b = binning.bins(f);
      missing.set(hist, base + per * binning.missingBin(f));
      total.copy(missing);
      for (int k = 0; k < b; k++) {
        total.add(hist, base + per * k);
      }
      left.clear();
      // bin k's split, missing rows right then left; with missing rows, the last bin too
      for (int k = 0; k < (missing.n > 0 ? b : b - 1); k++) {
        left.add(hist, base + per * k);
        best = better(best, f, k, false, left, total, rows, params);
        if (missing.n > 0 && k < b - 1) {
          withMissing.copy(left);
          withMissing.add(missing);
          best = better(best, f, k, true, withMissing, total, rows, params);
        }
      }
    }
    return best;
  }

  /** Gradient and hessian sums of each output, and a row count. */
  private static final class Sums {
    final double[] g;
    final double[] h;
    double n;

    Sums(int outputs) {
      g = new double[outputs];
      h = new double[outputs];
    }

    void clear() {
      java.util.Arrays.fill(g, 0);
      java.util.Arrays.fill(h, 0);
      n = 0;
    }

    void set(double[] hist, int at) {
      clear();
      add(hist, at);
    }

    void add(double[] hist, int at) {
      for (int o = 0; o < g.length; o++) {
        g[o] += hist[at + 2 * o];
        h[o] += hist[at + 2 * o + 1];
      }
      n += hist[at + 2 * g.length];
    }

    void add(Sums other) {
      for (int o = 0; o < g.length; o++) {
        g[o] += other.g[o];
        h[o] += other.h[o];
      }
      n += other.n;
    }

    void copy(Sums other) {
      System.arraycopy(other.g, 0, g, 0, g.length);
      System.arraycopy(other.h, 0, h, 0, h.length);
      n = other.n;
    }

    double hessian() {
      double sum = 0;
      for (double v : h) {
        sum += v;
      }
      return sum;
    }
  }

  /** {@code best}, or the candidate if it is allowed and {@link #beats} it. */
  private static Split better(
      Split best,
      int f,
      int k,
      boolean missingLeft,
      Sums left,
      Sums total,
      int rows,
      GbdtParams params) {
    double nl = left.n;
    double nr = rows - nl;
    if (nl < params.minSamplesLeaf() || nr < params.minSamplesLeaf()) {
      return best;
    }
    double hl = left.hessian();
    double hr = total.hessian() - hl;
    if (hl < params.minChildWeight() || hr < params.minChildWeight()) {
      return best;
    }
    double gain = SplitMath.gain(left.g, left.h, total.g, total.h, params.lambda());
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
