package io.federa.ml.tree;

/**
 * Second-order split gain and leaf weight (Chen & Guestrin, "XGBoost", KDD 2016, eq. 5 and 7), used
 * by the centralized GBDT and by SecureBoost, which computes the same sums on decrypted histograms.
 */
public final class SplitMath {
  private SplitMath() {}

  /** Optimal leaf weight {@code -G / (H + λ)}. */
  public static double leafWeight(double g, double h, double lambda) {
    return -g / (h + lambda);
  }

  /** A node's score {@code G² / (H + λ)}. */
  public static double score(double g, double h, double lambda) {
    return g * g / (h + lambda);
  }

  /**
   * The gain of a multi-output split, summed over the outputs: left sums {@code (gl[k], hl[k])},
   * the node's {@code (g[k], h[k])}.
   */
  public static double gain(double[] gl, double[] hl, double[] g, double[] h, double lambda) {
    double sum = 0;
    for (int k = 0; k < gl.length; k++) {
      sum += gain(gl[k], hl[k], g[k] - gl[k], h[k] - hl[k], lambda);
    }
    return sum;
  }

  /** Gain of splitting a node into left and right: {@code ½·(score_L + score_R − score)}. */
  public static double gain(double gl, double hl, double gr, double hr, double lambda) {
    return 0.5 * (score(gl, hl, lambda) + score(gr, hr, lambda) - score(gl + gr, hl + hr, lambda));
  }
}
