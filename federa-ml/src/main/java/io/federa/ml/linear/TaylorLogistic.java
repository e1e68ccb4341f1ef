package io.federa.ml.linear;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;

/**
 * Centralized logistic regression on the objective hetero LR trains on: the logistic loss expanded
 * to second order at 0, {@code mean(log 2 − ½·y'·z + ⅛·z²)} with {@code y' = 2y − 1}, plus {@code
 * α/2·‖w‖²} (the intercept free). The objective is quadratic, so its optimum solves {@code (XᵀX/4n
 * + αI)·w = Xᵀ(y − ½)/n} exactly: the point a federated run on the same rows converges to, and the
 * loss the {@code --to-optimum} benchmark measures against. How far this optimum lies from exact
 * logistic regression's is the cost of the Taylor expansion (docs/vertical-fl.md).
 */
public final class TaylorLogistic {
  private TaylorLogistic() {}

  /** The optimum on {@code table}'s columns as they are (standardize first to match hetero LR). */
  public static LinearModel fit(Table table, double alpha, ComputingEngine engine) {
    LinearRegression.Normal normal = LinearRegression.Normal.of(table, engine);
    double[][] a = normal.gram();
    double[] b = normal.rhs();
    int n = table.rows();
    int d = table.features();
    for (int i = 0; i <= d; i++) {
      // Xᵀ(y − ½)/n; the intercept's column is all ones, so Xᵀ1 is the gram's last column
      b[i] = (b[i] - 0.5 * a[i][d]) / n;
    }
    for (int i = 0; i <= d; i++) {
      for (int j = 0; j <= d; j++) {
        a[i][j] /= 4.0 * n;
      }
      if (i < d) {
        a[i][i] += alpha;
      }
    }
    double[] w = ColumnOps.solveSpd(a, b);
    if (w == null) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the Taylor-loss normal equations are singular: drop constant or duplicated columns, or"
              + " set alpha > 0");
    }
    return new LinearModel(
        new double[][] {java.util.Arrays.copyOf(w, d)},
        new double[] {w[d]},
        table.schema().featureNames());
  }

  /** The objective at {@code model} on {@code table}: mean Taylor loss plus the L2 term. */
  public static double loss(Table table, LinearModel model, double alpha, ComputingEngine engine) {
    double[] z = model.decision(table, engine)[0];
    double[] y = table.labels();
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      sum += Math.log(2) - 0.5 * (2 * y[i] - 1) * z[i] + z[i] * z[i] / 8;
    }
    double penalty = 0;
    for (double w : model.weights()[0]) {
      penalty += w * w;
    }
    return sum / z.length + 0.5 * alpha * penalty;
  }
}
