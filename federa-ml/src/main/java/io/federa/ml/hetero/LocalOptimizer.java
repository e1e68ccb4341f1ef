package io.federa.ml.hetero;

/** One party's update of its own weights from its own gradient (the other parties never see it). */
final class LocalOptimizer {
  private final HeteroLrParams params;
  private final double[] m;
  private final double[] v;
  private int step;

  LocalOptimizer(HeteroLrParams params, int size) {
    this.params = params;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** {@code w ← w − step(gradient)}; Adam as Kingma and Ba (2015), algorithm 1. */
  void update(double[] w, double[] gradient) {
    step++;
    double lr = params.learningRate() / (1 + params.decay() * (step - 1));
    switch (params.optimizer()) {
      case SGD -> {
        for (int j = 0; j < w.length; j++) {
          w[j] -= lr * gradient[j];
        }
      }
      case ADAM -> {
        double b1 = 0.9;
        double b2 = 0.999;
        for (int j = 0; j < w.length; j++) {
          m[j] = b1 * m[j] + (1 - b1) * gradient[j];
          v[j] = b2 * v[j] + (1 - b2) * gradient[j] * gradient[j];
          double mHat = m[j] / (1 - Math.pow(b1, step));
          double vHat = v[j] / (1 - Math.pow(b2, step));
          w[j] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
        }
      }
    }
  }
}
