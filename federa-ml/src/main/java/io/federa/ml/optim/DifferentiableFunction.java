package io.federa.ml.optim;

/** A smooth objective: its value at {@code x}, with the gradient written into {@code gradient}. */
@FunctionalInterface
public interface DifferentiableFunction {
  double valueAndGradient(double[] x, double[] gradient);
}
