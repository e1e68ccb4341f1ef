package io.federa.ml.linear;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.ml.Features;

/**
 * Centralized ordinary least squares with an intercept (scikit-learn's {@code LinearRegression}),
 * solved from the normal equations {@code (XᵀX)·β = Xᵀy} by Cholesky factorisation; the Gram matrix
 * is accumulated over row partitions on the computing engine.
 */
public final class LinearRegression {
  private LinearRegression() {}

  public static LinearModel fit(Table table, ComputingEngine engine) {
    Normal normal = Normal.of(table, engine);
    double[][] gram = normal.gram();
    double[] rhs = normal.rhs();
    int d = table.features();
    double[] beta = ColumnOps.solveSpd(gram, rhs);
    if (beta == null) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "the features are linearly dependent (or there are fewer rows than features), so least"
              + " squares has no unique solution; drop constant or duplicated columns");
    }
    return new LinearModel(
        new double[][] {java.util.Arrays.copyOf(beta, d)},
        new double[] {beta[d]},
        table.schema().featureNames());
  }

  public static double[] predict(LinearModel model, Table table, ComputingEngine engine) {
    return model.decision(table, engine)[0];
  }

  /**
   * The normal equations of {@code table} with an intercept (last coordinate): {@code XᵀX} and
   * {@code Xᵀy}, summed over the rows in parallel.
   */
  record Normal(double[][] gram, double[] rhs) {
    static Normal of(Table table, ComputingEngine engine) {
      double[][] columns = Features.columnsFor(table, table.schema().featureNames());
      double[] labels = table.labels();
      int d = columns.length;
      int p = d + 1;
      // upper triangle of XᵀX (row-major, p×p) then Xᵀy
      double[] sums =
          engine.aggregate(
              table.rows(),
              () -> new double[p * p + p],
              (acc, from, to) -> {
                double[] row = new double[p];
                for (int i = from; i < to; i++) {
                  for (int j = 0; j < d; j++) {
                    row[j] = columns[j][i];
                  }
                  row[d] = 1;
                  double y = labels[i];
                  for (int a = 0; a < p; a++) {
                    double ra = row[a];
                    for (int b = a; b < p; b++) {
                      acc[a * p + b] += ra * row[b];
                    }
                    acc[p * p + a] += ra * y;
                  }
                }
                return acc;
              },
              ColumnOps::addInto);
      double[][] gram = new double[p][p];
      double[] rhs = new double[p];
      for (int a = 0; a < p; a++) {
        for (int b = a; b < p; b++) {
          gram[a][b] = sums[a * p + b];
          gram[b][a] = sums[a * p + b];
        }
        rhs[a] = sums[p * p + a];
      }
      return new Normal(gram, rhs);
    }
  }
}
