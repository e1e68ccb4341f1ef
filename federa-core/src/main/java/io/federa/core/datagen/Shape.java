package io.federa.core.datagen;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.linalg.ColumnOps;
import java.util.SplittableRandom;

/**
 * How a generated vertical split departs from clean, independent, standard-normal features — the
 * data a user brings. The label always comes from the known logistic model over the features as
 * {@link #latent} makes them; {@link #observe} then gives them the units the files carry.
 *
 * @param correlation AR(1) correlation of neighbouring features (0: independent; near 1: an
 *     ill-conditioned design)
 * @param sparsity fraction of cells that are exactly 0 (of the columns that are not collinear)
 * @param collinear how many of the last features are (almost exactly) the mean of two earlier ones
 *     (they are the host's: collinear across the parties)
 * @param unscaled each column in its own units: scaled by 10^[−2, 3) and shifted by up to ten times
 *     its scale
 * @param positiveRate the share of label 1 the intercept aims at (NaN: no intercept)
 */
public record Shape(
    double correlation, double sparsity, int collinear, boolean unscaled, double positiveRate) {
  /** Independent standard-normal features, no intercept: the plain split. */
  public static final Shape PLAIN = new Shape(0, 0, 0, false, Double.NaN);

  public Shape {
    require(correlation >= 0 && correlation < 1, "correlation must be in [0, 1)", correlation);
    require(sparsity >= 0 && sparsity < 1, "sparsity must be in [0, 1)", sparsity);
    require(collinear >= 0, "collinear must be ≥ 0", collinear);
    require(
        Double.isNaN(positiveRate) || positiveRate > 0 && positiveRate < 1,
        "positive rate must be in (0, 1)",
        positiveRate);
  }

  /** Row {@code id}'s features as the label sees them, into {@code x}. */
  void latent(long seed, int id, double[] x) {
    SyntheticData.rowFeatures(seed, id, x);
    int d = x.length;
    for (int j = 1; j < d && correlation > 0; j++) {
      x[j] = correlation * x[j - 1] + Math.sqrt(1 - correlation * correlation) * x[j];
    }
    SplittableRandom cells =
        new SplittableRandom(SyntheticData.mix(seed ^ 0x2545F4914F6CDD1DL, id));
    for (int j = 0; j < d && sparsity > 0; j++) {
      if (cells.nextDouble() < sparsity) {
        x[j] = 0;
      }
    }
    int free = d - collinear;
    require(free >= 2, "collinear needs at least two other features", collinear);
    for (int j = free; j < d; j++) {
      int a = (7 * j) % free;
      int b = (13 * j + 1) % free;
      x[j] = 0.5 * (x[a] + x[b == a ? (a + 1) % free : b]) + 1e-3 * SyntheticData.gaussian(cells);
    }
  }

  /** The features in the units the files carry (in place). */
  void observe(long seed, double[] x) {
    if (!unscaled) {
      return;
    }
    SplittableRandom units = new SplittableRandom(seed ^ 0x1B873593L);
    for (int j = 0; j < x.length; j++) {
      double scale = Math.pow(10, -2 + 5 * units.nextDouble());
      double shift = (2 * units.nextDouble() - 1) * 10 * scale;
      x[j] = x[j] * scale + shift;
    }
  }

  /**
   * The intercept that gives about {@link #positiveRate} of label 1 under weights {@code w} (0
   * without one): bisection on the mean probability of 4,000 seeded rows.
   */
  double intercept(long seed, double[] w) {
    if (Double.isNaN(positiveRate)) {
      return 0;
    }
    double[][] rows = new double[4000][w.length];
    for (int i = 0; i < rows.length; i++) {
      latent(seed ^ 0x7F4A7C15L, i, rows[i]);
    }
    double lo = -40;
    double hi = 40;
    for (int it = 0; it < 60; it++) {
      double b = (lo + hi) / 2;
      double mean = 0;
      for (double[] x : rows) {
        mean += ColumnOps.sigmoid(ColumnOps.dot(w, x) + b);
      }
      if (mean / rows.length < positiveRate) {
        lo = b;
      } else {
        hi = b;
      }
    }
    return (lo + hi) / 2;
  }

  private static void require(boolean ok, String message, double got) {
    if (!ok) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, message + ", got " + got);
    }
  }
}
