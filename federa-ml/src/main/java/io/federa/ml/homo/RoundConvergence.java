package io.federa.ml.homo;

/**
 * When the averaging strategies (FedAvg, FedProx, FedAdam, …) stop: the round's mean training loss
 * changed by less than {@code tol} in three rounds running (one quiet round of a noisy, oscillating
 * loss is not convergence), or the rounds ran out. Strategy {@code LBFGS} stops by its own decider.
 */
final class RoundConvergence {
  private static final int QUIET_ROUNDS = 3;
  private final HomoParams params;
  private double previous = Double.NaN;
  private int quiet;
  private boolean converged;
  private String reason = "";

  RoundConvergence(HomoParams params) {
    this.params = params;
  }

  /** After round {@code r} (from 0) with mean loss {@code loss}: whether training ends here. */
  boolean done(double loss, int r) {
    double change = Math.abs(loss - previous);
    previous = loss;
    quiet = change < params.tol() ? quiet + 1 : 0;
    converged = quiet >= QUIET_ROUNDS;
    if (converged) {
      reason =
          String.format(
              "converged after %d rounds: the loss changed by less than tol %.3g in %d rounds"
                  + " running",
              r + 1, params.tol(), QUIET_ROUNDS);
      return true;
    }
    if (r == params.rounds() - 1) {
      reason =
          String.format(
              "stopped at max_iter %d: the loss still changed by %.3g%s",
              params.rounds(),
              change,
              params.tol() > 0 ? " ≥ tol " + params.tol() + "; raise max_iter" : " (tol 0)");
    }
    return false;
  }

  boolean converged() {
    return converged;
  }

  String reason() {
    return reason;
  }
}
