package io.federa.ml.linear;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;

/**
 * The logistic loss and its gradient over column-major features. Centralized and federated logistic
 * regression share this math: the loss of a row is {@code log(1 + e^z) - y·z} with {@code z = w·x +
 * b}, and its gradient is {@code (σ(z) - y)·x}.
 */
public final class LogisticLoss {
  private LogisticLoss() {}

  /**
   * Sum over rows of the loss; writes the summed gradient to {@code gradient} (features first, then
   * the intercept at index {@code columns.length}).
   */
  public static double lossAndGradient(
      double[][] columns,
      double[] labels,
      double[] weights,
      double intercept,
      ComputingEngine engine,
      double[] gradient) {
    int d = columns.length;
    double[] result =
        engine.aggregate(
            labels.length,
            () -> new double[d + 2], // gradient, intercept gradient, loss
            (acc, from, to) -> {
              double[] z = new double[to - from];
              ColumnOps.linearPredictor(columns, weights, intercept, from, to, z);
              double loss = 0;
              double interceptGrad = 0;
              for (int i = 0; i < z.length; i++) {
                double y = labels[from + i];
                loss += ColumnOps.log1pExp(z[i]) - y * z[i];
                z[i] = ColumnOps.sigmoid(z[i]) - y; // residual, reused as r
                interceptGrad += z[i];
              }
              ColumnOps.addTransposeTimes(columns, z, from, to, acc);
              acc[d] += interceptGrad;
              acc[d + 1] += loss;
              return acc;
            },
            ColumnOps::addInto);
    System.arraycopy(result, 0, gradient, 0, d + 1);
    return result[d + 1];
  }
}
