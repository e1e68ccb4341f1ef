package io.federa.ml.linear;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.ml.Features;
import java.util.List;

/**
 * Weights and an intercept per output: one output for binary logistic and linear regression, one
 * per class for multinomial logistic regression.
 *
 * @param weights {@code weights[k][j]}: output k, feature j
 * @param intercepts one per output
 * @param featureNames the features, in the order of {@code weights[k]}
 */
public record LinearModel(double[][] weights, double[] intercepts, List<String> featureNames) {
  public LinearModel {
    double[][] copy = new double[weights.length][];
    for (int k = 0; k < weights.length; k++) {
      copy[k] = weights[k].clone();
    }
    weights = copy;
    intercepts = intercepts.clone();
    featureNames = List.copyOf(featureNames);
  }

  public int outputs() {
    return weights.length;
  }

  /** Linear predictors {@code z[k][i] = w_k·x_i + b_k}. */
  public double[][] decision(Table table, ComputingEngine engine) {
    double[][] columns = Features.columnsFor(table, featureNames);
    double[][] z = new double[weights.length][table.rows()];
    for (int k = 0; k < weights.length; k++) {
      double[] out = z[k];
      double[] w = weights[k];
      double b = intercepts[k];
      engine.forEachRange(
          table.rows(),
          (from, to) -> {
            double[] part = new double[to - from];
            ColumnOps.linearPredictor(columns, w, b, from, to, part);
            System.arraycopy(part, 0, out, from, part.length);
          });
    }
    return z;
  }
}
