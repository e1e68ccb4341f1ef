package io.federa.ml.hetero;

/**
 * A host's hetero LR model, in its original units: per class model, its feature weights and the
 * constant its centring adds to its partial score ({@link io.federa.ml.linear.Standardization}; 0
 * when trained on the columns as they are). It never leaves the host.
 */
public record HostModel(double[][] weights, double[] shifts) {
  public HostModel {
    if (shifts.length != weights.length) {
      throw new IllegalArgumentException("one shift per class model");
    }
  }

  /** Weights without shifts (a model stored before shifts existed). */
  public static HostModel of(double[][] weights) {
    return new HostModel(weights, new double[weights.length]);
  }
}
