package io.federa.ml.linear;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;

/**
 * Multinomial logistic (softmax cross-entropy) loss and gradient: a row's loss is {@code logΣ_k
 * e^{z_k} - z_y}, its gradient for output k is {@code (softmax_k(z) - [y = k])·x}.
 */
public final class SoftmaxLoss {
  private SoftmaxLoss() {}

  /**
   * Sum of losses over rows; {@code gradient} receives, for each class k, {@code d} feature entries
   * then the intercept: index {@code k·(d+1) + j}.
   */
  public static double lossAndGradient(
      double[][] columns,
      double[] labels,
      double[][] weights,
      double[] intercepts,
      ComputingEngine engine,
      double[] gradient) {
    int d = columns.length;
    int k = weights.length;
    int stride = d + 1;
    double[] result =
        engine.aggregate(
            labels.length,
            () -> new double[k * stride + 1],
            (acc, from, to) -> {
              int n = to - from;
              double[][] z = new double[k][n];
              for (int c = 0; c < k; c++) {
                ColumnOps.linearPredictor(columns, weights[c], intercepts[c], from, to, z[c]);
              }
              double loss = 0;
              for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                  max = Math.max(max, z[c][i]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                  sum += Math.exp(z[c][i] - max);
                }
                double logSum = max + Math.log(sum);
                int y = (int) labels[from + i];
                loss += logSum - z[y][i];
                for (int c = 0; c < k; c++) {
                  z[c][i] = Math.exp(z[c][i] - logSum) - (c == y ? 1 : 0);
                }
              }
              double[] partial = new double[d];
              for (int c = 0; c < k; c++) {
                java.util.Arrays.fill(partial, 0);
                ColumnOps.addTransposeTimes(columns, z[c], from, to, partial);
                double interceptGrad = 0;
                for (int i = 0; i < n; i++) {
                  interceptGrad += z[c][i];
                }
                for (int j = 0; j < d; j++) {
                  acc[c * stride + j] += partial[j];
                }
                acc[c * stride + d] += interceptGrad;
              }
              acc[k * stride] += loss;
              return acc;
            },
            ColumnOps::addInto);
    System.arraycopy(result, 0, gradient, 0, k * stride);
    return result[k * stride];
  }
}
