package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Arrays;

/**
 * The guest's model: per class model, the guest's feature weights and the intercept. Binary models
 * (labels 0/1) have one entry, for class 1; one-vs-rest models one per class value.
 */
public record HeteroLrGuestModel(double[] classes, double[][] weights, double[] intercepts) {
  public boolean binary() {
    return classes.length == 1;
  }

  /**
   * The model in the original units from each class model's standardized weights, intercept last
   * ({@link io.federa.ml.linear.Standardization}: the centring's constant joins the intercept).
   */
  static HeteroLrGuestModel of(
      double[] classes, double[][] full, io.federa.ml.linear.Standardization units) {
    double[][] weights = new double[classes.length][];
    double[] intercepts = new double[classes.length];
    for (int k = 0; k < classes.length; k++) {
      weights[k] = units.weights(full[k]);
      intercepts[k] = full[k][full[k].length - 1] + units.shift(full[k]);
    }
    return new HeteroLrGuestModel(classes, weights, intercepts);
  }

  /** The binary model's feature weights. */
  public double[] weights0() {
    return weights[0];
  }

  /** 0/1 labels: one model for class 1; three or more values: one per value, sorted. */
  static double[] classesOf(double[] labels) {
    double[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
    boolean binary =
        distinct.length <= 2 && Arrays.stream(distinct).allMatch(v -> v == 0 || v == 1);
    if (binary) {
      return new double[] {1};
    }
    if (distinct.length == 2) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "a binary label must be 0 or 1, found "
              + distinct[0]
              + " and "
              + distinct[1]
              + "; recode the label column as 0/1");
    }
    return distinct;
  }

  /** The class of every row from the class models' probabilities (binary: 1 when P ≥ ½). */
  double[] predictedClasses(double[][] p) {
    double[] out = new double[p[0].length];
    for (int i = 0; i < out.length; i++) {
      if (binary()) {
        out[i] = p[0][i] >= 0.5 ? 1 : 0;
      } else {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
          if (p[c][i] > p[best][i]) {
            best = c;
          }
        }
        out[i] = classes[best];
      }
    }
    return out;
  }
}
