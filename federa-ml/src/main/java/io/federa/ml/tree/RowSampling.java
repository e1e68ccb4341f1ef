package io.federa.ml.tree;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Random;

/**
 * Which rows each tree learns from: all ({@link #NONE}), a uniform fraction ({@code subsample}), or
 * gradient-based one-side sampling (GOSS, Ke et al., "LightGBM", NeurIPS 2017: the {@code topRate}
 * rows with the largest |g|, and {@code otherRate} of all rows drawn from the rest, their g and h
 * scaled by {@code (1 − topRate) / otherRate}). A row left out gets weight 0: it still falls into
 * the tree's nodes and gets the tree's output, but adds nothing to its sums. The draw depends only
 * on the seed, the tree and the gradients, so the centralized GBDT and SecureBoost draw the same
 * rows.
 */
public record RowSampling(double subsample, double topRate, double otherRate, long seed) {
  /** Every row, every tree. */
  public static final RowSampling NONE = new RowSampling(1, 0, 0, 0);

  public RowSampling {
    boolean goss = topRate > 0 || otherRate > 0;
    if (!(subsample > 0 && subsample <= 1)
        || topRate < 0
        || otherRate < 0
        || topRate + otherRate > 1
        || (goss && (otherRate <= 0 || subsample != 1))) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "row sampling needs 0 < subsample ≤ 1, or GOSS with 0 ≤ top_rate, 0 < other_rate and"
              + " top_rate + other_rate ≤ 1 (and no subsample); got subsample "
              + subsample
              + ", top_rate "
              + topRate
              + ", other_rate "
              + otherRate);
    }
  }

  /** GOSS with FATE's defaults' shape. */
  public static RowSampling goss(double topRate, double otherRate, long seed) {
    return new RowSampling(1, topRate, otherRate, seed);
  }

  public static RowSampling subsample(double fraction, long seed) {
    return new RowSampling(fraction, 0, 0, seed);
  }

  public boolean all() {
    return subsample == 1 && topRate == 0 && otherRate == 0;
  }

  /** Scales tree {@code tree}'s gradients and hessians by the rows' weights (0: left out). */
  public void apply(int tree, double[] g, double[] h) {
    apply(tree, new double[][] {g}, new double[][] {h});
  }

  /**
   * As {@link #apply(int, double[], double[])} for a multi-output tree: one draw for every class's
   * columns, GOSS ranking rows by {@code Σ_k |g_k|}.
   */
  public void apply(int tree, double[][] gs, double[][] hs) {
    if (all()) {
      return;
    }
    int n = gs[0].length;
    double[] g = gs[0];
    if (gs.length > 1) {
      g = new double[n];
      for (double[] column : gs) {
        for (int i = 0; i < n; i++) {
          g[i] += Math.abs(column[i]);
        }
      }
    }
    double[] magnitude = g;
    Random random = new Random(seed * 1_000_003L + tree);
    double[] w = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (otherRate > 0) {
      java.util.Arrays.sort(
          order, (a, b) -> Double.compare(Math.abs(magnitude[b]), Math.abs(magnitude[a])));
      int top = (int) Math.floor(topRate * n);
      int other = Math.min(n - top, (int) Math.floor(otherRate * n));
      for (int k = 0; k < top; k++) {
        w[order[k]] = 1;
      }
      shuffleTail(order, top, random);
      double amplify = (1 - topRate) / otherRate;
      for (int k = top; k < top + other; k++) {
        w[order[k]] = amplify;
      }
    } else {
      shuffleTail(order, 0, random);
      int keep = Math.max(1, (int) Math.floor(subsample * n));
      for (int k = 0; k < keep; k++) {
        w[order[k]] = 1;
      }
    }
    for (int k = 0; k < gs.length; k++) {
      for (int i = 0; i < n; i++) {
        gs[k][i] *= w[i];
        hs[k][i] *= w[i];
      }
    }
  }

  private static void shuffleTail(Integer[] a, int from, Random random) {
    for (int i = a.length - 1; i > from; i--) {
      int j = from + random.nextInt(i - from + 1);
      Integer t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
