package io.federa.ml.homo;

import io.federa.core.table.Table;

/**
 * A trained horizontal model: the network, its parameters, and the class values its outputs stand
 * for (one output, P(class[1]), for two classes).
 */
public record HomoModel(Mlp network, double[] weights, double[] classes) {

  /** P(y = classes[1]) for a binary model; per row the probability of each class otherwise. */
  public double[][] probabilities(Table rows) {
    double[][] x = rows.toRowMajor();
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = network.predict(weights, x[i]);
    }
    return out;
  }

  /** The predicted class value of every row. */
  public double[] predictClasses(Table rows) {
    double[][] p = probabilities(rows);
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      if (p[i].length == 1) {
        out[i] = classes[p[i][0] >= 0.5 ? 1 : 0];
      } else {
        int best = 0;
        for (int k = 1; k < p[i].length; k++) {
          if (p[i][k] > p[i][best]) {
            best = k;
          }
        }
        out[i] = classes[best];
      }
    }
    return out;
  }

  /** The labels of {@code rows} as class indices of this model (−1 for an unknown class). */
  static int[] indices(double[] labels, double[] classes) {
    int[] y = new int[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = java.util.Arrays.binarySearch(classes, labels[i]);
    }
    return y;
  }
}
