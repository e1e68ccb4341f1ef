package io.federa.ml.homo;

/**
 * The arbiter's step from the sample-weighted average of the parties' models to the next global
 * model: FedAvg takes the average; FedAdam, FedYogi and FedAdagrad (Reddi et al. 2021, "Adaptive
 * Federated Optimization", algorithm 2) treat {@code Δ = average − global} as a pseudo-gradient
 * with β₁ = 0.9, β₂ = 0.99, τ = 10⁻³. Only the average enters, so a secure-aggregation step that
 * yields the sum without the individual updates slots in before it.
 */
public final class ServerOptimizer {
  /** The strategies. */
  public enum Kind {
    FEDAVG,
    FEDADAM,
    FEDYOGI,
    FEDADAGRAD,
    /**
     * Not an average: every party sends its full-batch gradient at the global model and the arbiter
     * steps by L-BFGS on their sum ({@link io.federa.ml.optim.QuasiNewton}), which reaches the
     * centralized optimum of the same objective (logistic regression only).
     */
    LBFGS
  }

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.99;
  private static final double TAU = 1e-3;

  private final Kind kind;
  private final double rate;
  private double[] m;
  private double[] v;

  public ServerOptimizer(Kind kind, double rate) {
    this.kind = kind;
    this.rate = rate;
  }

  /** The next global model from the current one and the average of the updates. */
  public double[] step(double[] global, double[] average) {
    if (kind == Kind.FEDAVG) {
      return average.clone();
    }
    int p = global.length;
    if (m == null) {
      m = new double[p];
      v = new double[p];
      java.util.Arrays.fill(v, TAU * TAU);
    }
    double[] next = new double[p];
    for (int k = 0; k < p; k++) {
      double delta = average[k] - global[k];
      m[k] = BETA1 * m[k] + (1 - BETA1) * delta;
      double d2 = delta * delta;
      v[k] =
          switch (kind) {
            case FEDADAGRAD -> v[k] + d2;
            case FEDYOGI -> v[k] - (1 - BETA2) * d2 * Math.signum(v[k] - d2);
            default -> BETA2 * v[k] + (1 - BETA2) * d2;
          };
      next[k] = global[k] + rate * m[k] / (Math.sqrt(v[k]) + TAU);
    }
    return next;
  }
}
