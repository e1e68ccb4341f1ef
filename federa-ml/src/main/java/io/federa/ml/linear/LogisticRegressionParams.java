package io.federa.ml.linear;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;

/**
 * Hyper-parameters of centralized logistic regression, named as scikit-learn's: the objective is
 * {@code C·Σ loss + ½‖w‖²} (the intercept is not penalised).
 *
 * @param c inverse regularisation strength, {@code > 0}
 * @param maxIterations L-BFGS iteration limit
 * @param tolerance stop when the largest gradient component of the per-row objective is below it
 */
public record LogisticRegressionParams(double c, int maxIterations, double tolerance) {
  public LogisticRegressionParams {
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "C must be a positive number, got " + c);
    }
    if (maxIterations < 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "max iterations must be at least 1, got " + maxIterations);
    }
    if (!(tolerance > 0)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "tolerance must be positive, got " + tolerance);
    }
  }

  /**
   * The C of the federated objective {@code mean loss + α/2·‖w‖²} over {@code rows} rows: {@code
   * 1/(α·n)} — the same optimum — run to convergence ({@code tolerance} 1e-10).
   */
  public static LogisticRegressionParams ofAlpha(double alpha, int rows) {
    return new LogisticRegressionParams(1 / (alpha * rows), 1000, 1e-10);
  }

  /** C = 1, as scikit-learn's default, run to convergence. */
  public static LogisticRegressionParams defaults() {
    return new LogisticRegressionParams(1.0, 1000, 1e-9);
  }
}
