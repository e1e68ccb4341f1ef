package io.federa.ml.feature;

import io.federa.core.table.Table;

/**
 * A party's columns as z-scores, {@code (x − mean) / std} with the population std (a constant
 * column: zeros, whose correlation with anything is reported as 0), and their Pearson correlations
 * with each other: {@code Σ z_a·z_b / n}.
 */
record Standardized(double[][] z, int rows) {
  static Standardized of(Table t) {
    Table z = io.federa.ml.linear.Standardization.of(t, true).apply(t);
    double[][] columns = new double[z.features()][];
    for (int f = 0; f < columns.length; f++) {
      columns[f] = z.column(f);
    }
    return new Standardized(columns, t.rows());
  }

  /** The correlations of these columns with each other. */
  double[][] correlations() {
    int d = z.length;
    double[][] c = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double s = 0;
        for (int i = 0; i < rows; i++) {
          s += z[a][i] * z[b][i];
        }
        c[a][b] = c[b][a] = rows == 0 ? 0 : s / rows;
      }
    }
    return c;
  }
}
