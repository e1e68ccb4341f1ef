package io.federa.ml.linear;

import io.federa.core.table.Table;

/**
 * A party's own columns as z-scores while it trains, {@code (x − mean) / std} (population std; a
 * constant column keeps std 1), so that no learning rate depends on the units its data comes in
 * (hetero LR's scale-aware default, {@code HeteroLrParams.standardize}; Pearson's z-scores; the
 * centralized baselines). The weights found are turned back into the original units when training
 * ends: {@code w / std}, and the constant {@code −Σ w·mean / std}, which the guest folds into its
 * intercept and a host keeps beside its weights (it adds it to its partial scores). Means and
 * deviations never leave the party. The L2 (or L1) penalty applies to the standardized weights, as
 * a centralized StandardScaler + logistic regression pipeline would.
 */
public record Standardization(double[] mean, double[] std) {
  /** The columns' means and deviations, or the identity when {@code on} is false. */
  public static Standardization of(Table t, boolean on) {
    int d = t.features();
    double[] mean = new double[d];
    double[] std = new double[d];
    java.util.Arrays.fill(std, 1);
    for (int j = 0; j < d && on; j++) {
      double[] col = t.column(j);
      double m = 0;
      for (double v : col) {
        m += v;
      }
      m /= Math.max(1, col.length);
      double ss = 0;
      for (double v : col) {
        ss += (v - m) * (v - m);
      }
      double sd = Math.sqrt(ss / Math.max(1, col.length));
      mean[j] = m;
      std[j] = sd > 0 ? sd : 1;
    }
    return new Standardization(mean, std);
  }

  /** {@code t}'s features as z-scores (the same table when this is the identity). */
  public Table apply(Table t) {
    boolean identity = true;
    for (int j = 0; j < mean.length; j++) {
      identity &= mean[j] == 0 && std[j] == 1;
    }
    if (identity) {
      return t;
    }
    double[][] z = new double[mean.length][];
    for (int j = 0; j < z.length; j++) {
      double[] col = t.column(j);
      z[j] = new double[col.length];
      for (int i = 0; i < col.length; i++) {
        z[j][i] = (col[i] - mean[j]) / std[j];
      }
    }
    return new Table(t.schema(), t.ids(), t.hasLabel() ? t.labels() : null, z);
  }

  /** Standardized weights (the first {@code mean.length} of {@code w}) in the original units. */
  public double[] weights(double[] w) {
    double[] out = new double[mean.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = w[j] / std[j];
    }
    return out;
  }

  /** The constant the centring adds to the linear predictor: {@code −Σ w·mean / std}. */
  public double shift(double[] w) {
    double s = 0;
    for (int j = 0; j < mean.length; j++) {
      s -= w[j] * mean[j] / std[j];
    }
    return s;
  }
}
