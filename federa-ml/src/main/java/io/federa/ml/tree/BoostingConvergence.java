package io.federa.ml.tree;

/**
 * When boosting stops on its own (FATE's {@code n_iter_no_change} with {@code tol}): after the
 * first round whose training loss differs from the round before's by less than {@code tol} — the
 * trees grown so far all stay in the model. {@code tol} 0 grows every one of {@link
 * GbdtParams#trees}. The centralized GBDT and SecureBoost's guest decide by this one rule, so the
 * federated model stops where the centralized one would.
 */
public final class BoostingConvergence {
  private BoostingConvergence() {}

  /**
   * Whether the round that took the loss from {@code before} (NaN: none) to {@code now} ends it.
   */
  public static boolean converged(double tol, double before, double now) {
    return tol > 0 && !Double.isNaN(before) && Math.abs(now - before) < tol;
  }

  /** Why training stopped after {@code rounds} rounds, the last taking the loss before → now. */
  public static String reason(GbdtParams params, int rounds, double before, double now) {
    double change = Double.isNaN(before) ? Double.NaN : Math.abs(now - before);
    if (converged(params.tol(), before, now)) {
      return String.format(
          "converged after %d of at most %d rounds: the training loss changed by %.3g < tol %.3g",
          rounds, params.trees(), change, params.tol());
    }
    return String.format(
        "grew all %d rounds (num_trees): the training loss still changed by %.3g%s",
        rounds,
        change,
        params.tol() > 0
            ? String.format(" ≥ tol %.3g; more trees would still lower it", params.tol())
            : " (n_iter_no_change off)");
  }
}
