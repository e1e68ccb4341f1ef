package io.federa.core.datagen;

import java.util.SplittableRandom;

/** Draws from a symmetric Dirichlet distribution through normalised Gamma variates. */
final class Dirichlet {
  private Dirichlet() {}

  static double[] sample(double alpha, int k, SplittableRandom rnd) {
    double[] x = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      x[i] = gamma(alpha, rnd);
      sum += x[i];
    }
    if (sum == 0) { // every draw underflowed (tiny α): one party takes everything
      x[rnd.nextInt(k)] = 1;
      return x;
    }
    for (int i = 0; i < k; i++) {
      x[i] /= sum;
    }
    return x;
  }

  /**
   * Gamma(α, 1) by Marsaglia and Tsang, "A simple method for generating gamma variables" (ACM TOMS
   * 2000); for α &lt; 1 the boost {@code Gamma(α+1)·U^{1/α}} of the same paper.
   */
  static double gamma(double alpha, SplittableRandom rnd) {
    if (alpha < 1) {
      return gamma(alpha + 1, rnd) * Math.pow(rnd.nextDouble(), 1 / alpha);
    }
    double d = alpha - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = SyntheticData.gaussian(rnd);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = rnd.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
