package io.federa.ml.hetero;

/**
 * One party's update of its own weights from its own gradient (the other parties never see it):
 * SGD, Nesterov momentum SGD (FATE's), RMSprop or Adam with learning-rate decay; the L2 penalty
 * enters the gradient, the L1 penalty is a proximal soft-threshold after the step. The intercept
 * (when {@code lastIsIntercept}) is never penalised.
 */
final class LocalOptimizer {
  private final HeteroLrParams params;
  private final boolean lastIsIntercept;
  private final double[] m;
  private final double[] v;
  private int step;

  LocalOptimizer(HeteroLrParams params, int size, boolean lastIsIntercept) {
    this.params = params;
    this.lastIsIntercept = lastIsIntercept;
    this.m = new double[size];
    this.v = new double[size];
  }

  double[] m() {
    return m.clone();
  }

  double[] v() {
    return v.clone();
  }

  int step() {
    return step;
  }

  /** Continues from a checkpoint's moments and step count. */
  void restore(double[] m, double[] v, int step) {
    System.arraycopy(m, 0, this.m, 0, this.m.length);
    System.arraycopy(v, 0, this.v, 0, this.v.length);
    this.step = step;
  }

  /**
   * {@code w ← w − step(gradient + L2 term)}, then L1 shrinkage; returns the squared norm of the
   * change (for weight-difference convergence).
   */
  double update(double[] w, double[] lossGradient) {
    step++;
    double lr = params.learningRate() / (1 + params.decay() * (step - 1));
    int penalised = lastIsIntercept ? w.length - 1 : w.length;
    double[] g = lossGradient.clone();
    if (params.penalty() == HeteroLrParams.Penalty.L2) {
      for (int j = 0; j < penalised; j++) {
        g[j] += params.alpha() * w[j];
      }
    }
    double[] before = w.clone();
    switch (params.optimizer()) {
      case SGD -> {
        for (int j = 0; j < w.length; j++) {
          w[j] -= lr * g[j];
        }
      }
      case NESTEROV_MOMENTUM_SGD -> {
        // FATE's form: v ← μ·v − lr·g; w ← w − (μ·v_before − (1 + μ)·v)
        double mu = 0.9;
        for (int j = 0; j < w.length; j++) {
          double previous = m[j];
          m[j] = mu * m[j] - lr * g[j];
          w[j] -= mu * previous - (1 + mu) * m[j];
        }
      }
      case RMSPROP -> {
        double rho = 0.99;
        for (int j = 0; j < w.length; j++) {
          v[j] = rho * v[j] + (1 - rho) * g[j] * g[j];
          w[j] -= lr * g[j] / (Math.sqrt(v[j]) + 1e-6);
        }
      }
      case ADAM -> {
        // Kingma and Ba (2015), algorithm 1
        double b1 = 0.9;
        double b2 = 0.999;
        for (int j = 0; j < w.length; j++) {
          m[j] = b1 * m[j] + (1 - b1) * g[j];
          v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
          double mHat = m[j] / (1 - Math.pow(b1, step));
          double vHat = v[j] / (1 - Math.pow(b2, step));
          w[j] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
        }
      }
    }
    if (params.penalty() == HeteroLrParams.Penalty.L1) {
      double t = lr * params.alpha();
      for (int j = 0; j < penalised; j++) {
        w[j] = Math.signum(w[j]) * Math.max(0, Math.abs(w[j]) - t);
      }
    }
    double change = 0;
    for (int j = 0; j < w.length; j++) {
      change += (w[j] - before[j]) * (w[j] - before[j]);
    }
    return change;
  }
}
