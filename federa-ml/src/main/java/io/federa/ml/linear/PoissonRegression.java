package io.federa.ml.linear;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.ml.optim.Lbfgs;

/**
 * Centralized Poisson regression with an intercept (scikit-learn's {@code PoissonRegressor}, log
 * link): minimizes the mean of {@code exp(z) − y·z} plus {@code ½·alpha·‖w‖²}, z = X·w + b, by
 * L-BFGS. The baseline HeteroPoisson is checked against.
 */
public final class PoissonRegression {
  private PoissonRegression() {}

  public static LinearModel fit(Table table, double alpha, ComputingEngine engine) {
    return fit(table, null, alpha, engine);
  }

  /** As {@link #fit(Table, double, ComputingEngine)} with {@code offset[i]} added to row i's z. */
  public static LinearModel fit(
      Table table, double[] offset, double alpha, ComputingEngine engine) {
    int d = table.features();
    int n = table.rows();
    double[][] columns = new double[d][];
    for (int j = 0; j < d; j++) {
      columns[j] = table.column(j);
    }
    double[] y = table.labels();
    Lbfgs.Result r =
        new Lbfgs(10, 1000, 1e-10)
            .minimize(
                (x, gradient) -> {
                  java.util.Arrays.fill(gradient, 0);
                  double loss = 0;
                  for (int i = 0; i < n; i++) {
                    double z = x[d] + (offset == null ? 0 : offset[i]);
                    for (int j = 0; j < d; j++) {
                      z += x[j] * columns[j][i];
                    }
                    double mu = Math.exp(z);
                    loss += mu - y[i] * z;
                    double g = mu - y[i];
                    for (int j = 0; j < d; j++) {
                      gradient[j] += g * columns[j][i];
                    }
                    gradient[d] += g;
                  }
                  loss /= n;
                  for (int j = 0; j <= d; j++) {
                    gradient[j] /= n;
                  }
                  for (int j = 0; j < d; j++) {
                    loss += 0.5 * alpha * x[j] * x[j];
                    gradient[j] += alpha * x[j];
                  }
                  return loss;
                },
                new double[d + 1],
                it -> {});
    double[] x = r.x();
    return new LinearModel(
        new double[][] {java.util.Arrays.copyOf(x, d)},
        new double[] {x[d]},
        table.schema().featureNames());
  }

  /** The predicted means {@code exp(X·w + b)}. */
  public static double[] predict(LinearModel model, Table table, ComputingEngine engine) {
    return predict(model, table, null, engine);
  }

  /** The predicted means {@code exp(X·w + b + offset)}. */
  public static double[] predict(
      LinearModel model, Table table, double[] offset, ComputingEngine engine) {
    double[] z = model.decision(table, engine)[0];
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = Math.exp(z[i] + (offset == null ? 0 : offset[i]));
    }
    return out;
  }
}
