package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.PayloadKind;
import io.federa.ml.WireNumbers;
import io.federa.ml.optim.QuasiNewton;
import io.federa.ml.optim.QuasiNewtonDecider;
import java.util.List;

/**
 * The end of an epoch, which no role owns: the decider (the arbiter, or the guest without one)
 * gathers the others' squared weight changes when convergence is by weights ({@code WEIGHT_DIFF}),
 * or compares the loss with the last epoch's, decides, and tells everyone whether to go on ({@link
 * #decide}); every other party reports and hears the decision ({@link #follow}).
 */
final class Convergence {
  private final HeteroLrParams params;
  private double previous = Double.NaN;
  private double objective = Double.NaN;
  private boolean converged;
  private String reason = "";

  Convergence(HeteroLrParams params) {
    this.params = params;
  }

  /** The loss of the last epoch decided (NaN before the first). */
  double previous() {
    return previous;
  }

  /** Whether the last epoch decided ended the run by the criterion (not by {@code max_iter}). */
  boolean converged() {
    return converged;
  }

  /** Why the run stopped, with the numbers (empty while it goes on). */
  String reason() {
    return reason;
  }

  void restore(double previousLoss) {
    previous = previousLoss;
  }

  /** The objective (loss plus every party's penalty term) of the last epoch decided. */
  double objective() {
    return objective;
  }

  /**
   * The decider's side after epoch {@code t} with mean loss {@code loss}: gathers every party's
   * squared weight change and penalty term ({@code own…}: the decider's own, 0 for the arbiter),
   * compares the objective's change (or the weights', {@code WEIGHT_DIFF}) with {@code tol}, and
   * tells everyone whether to go on. Returns whether this was the last epoch.
   */
  boolean decide(
      Federation federation,
      HeteroLrMessages.Epoch epoch,
      List<Integer> parties,
      int t,
      double loss,
      double ownSquaredChange,
      double ownPenalty) {
    double squared = ownSquaredChange;
    objective = loss + ownPenalty;
    for (int party : parties) {
      double[] report =
          WireNumbers.doubles(federation.receive(party, epoch.report(), params.timeout()));
      if (report.length != 2) {
        throw new FederaException(
            ErrorCode.PROTOCOL, "party " + party + "'s epoch report is malformed");
      }
      squared += report[0];
      objective += report[1];
    }
    double change =
        params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF
            ? Math.sqrt(squared)
            : Double.isNaN(previous) ? Double.POSITIVE_INFINITY : Math.abs(previous - objective);
    previous = objective;
    converged = change < params.tol();
    boolean last = converged || t == params.maxIter() - 1;
    String what =
        params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF ? "weights" : "loss";
    reason =
        !last
            ? ""
            : converged
                ? String.format(
                    "converged after %d epochs: the %s changed by %.3g < tol %.3g",
                    t + 1, what, change, params.tol())
                : String.format(
                    "stopped at max_iter %d without converging: the %s still changed by %.3g ≥ tol"
                        + " %.3g; raise max_iter",
                    params.maxIter(), what, change, params.tol());
    byte[] flag = {(byte) (last ? 0 : 1)};
    for (int party : parties) {
      federation.send(party, epoch.decision(), flag, PayloadKind.CONTROL);
    }
    return last;
  }

  /**
   * Every other party's side: reports its squared weight change ({@code w} against the epoch's
   * {@code start}) and its penalty term at {@code start} (FATE's {@code loss_norm}), then hears
   * whether this was the last epoch.
   */
  static boolean follow(
      Federation federation,
      int decider,
      HeteroLrMessages.Epoch epoch,
      double[] w,
      double[] start,
      boolean lastIsIntercept,
      HeteroLrParams params) {
    federation.send(
        decider,
        epoch.report(),
        WireNumbers.doubles(
            new double[] {squaredChange(w, start), penalty(start, lastIsIntercept, params)}),
        PayloadKind.PLAINTEXT_AGGREGATE);
    byte[] go = federation.receive(decider, epoch.decision(), params.timeout());
    if (go.length != 1) {
      throw new FederaException(ErrorCode.PROTOCOL, "the decider's continue flag is malformed");
    }
    return go[0] == 0;
  }

  /**
   * A party's term of the penalty at {@code w}: {@code ½·α·Σw²} (L2) or {@code α·Σ|w|} (L1), the
   * intercept (last, when {@code lastIsIntercept}) left out.
   */
  static double penalty(double[] w, boolean lastIsIntercept, HeteroLrParams params) {
    int n = lastIsIntercept ? w.length - 1 : w.length;
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum +=
          switch (params.penalty()) {
            case L2 -> 0.5 * params.alpha() * w[j] * w[j];
            case L1 -> params.alpha() * Math.abs(w[j]);
            case NONE -> 0;
          };
    }
    return sum;
  }

  static double squaredChange(double[] w, double[] start) {
    double squared = 0;
    for (int j = 0; j < w.length; j++) {
      squared += (w[j] - start[j]) * (w[j] - start[j]);
    }
    return squared;
  }

  // ---- the same round trip when the parties step together by L-BFGS (optimizer LBFGS) ----

  /** The decider of an L-BFGS run under {@code params}, with or without an arbiter. */
  static QuasiNewtonDecider quasiNewton(HeteroLrParams params, boolean withArbiter) {
    return new QuasiNewtonDecider(
        params.maxIter(),
        params.tol(),
        params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF,
        // the Taylor loss and least squares are quadratic in the weights; the exact logistic loss
        // and Poisson's are not (Armijo steps)
        params.objective() != HeteroLrParams.Objective.POISSON
            && !params.exactSigmoid(withArbiter));
  }

  /** A party's L-BFGS report at {@code w}: its gradient and penalty term with the L2 penalty. */
  static double[] report(
      QuasiNewton quasi,
      double[] w,
      double[] lossGradient,
      boolean lastIsIntercept,
      HeteroLrParams params) {
    double[] g = lossGradient.clone();
    int penalised = lastIsIntercept ? w.length - 1 : w.length;
    for (int j = 0; j < penalised; j++) {
      g[j] += params.l2() * w[j];
    }
    return quasi.report(w, g, penalty(w, lastIsIntercept, params));
  }

  /**
   * The decider's side of an L-BFGS epoch: adds its own report ({@code own}; null for the arbiter)
   * and every party's, answers each with the step and returns it.
   */
  static QuasiNewton.Step decide(
      Federation federation,
      HeteroLrMessages.Epoch epoch,
      List<Integer> parties,
      int t,
      double loss,
      QuasiNewtonDecider decider,
      double[] own,
      HeteroLrParams params) {
    decider.begin();
    if (own != null) {
      decider.add(own, "the guest");
    }
    for (int party : parties) {
      decider.add(
          WireNumbers.doubles(federation.receive(party, epoch.report(), params.timeout())),
          "party " + party);
    }
    QuasiNewton.Step step = decider.step(loss, t);
    byte[] encoded = WireNumbers.doubles(step.toArray());
    for (int party : parties) {
      federation.send(party, epoch.decision(), encoded, PayloadKind.PLAINTEXT_AGGREGATE);
    }
    return step;
  }

  /**
   * A party's side of an L-BFGS epoch: reports, hears the step, moves {@code w}; returns whether
   * this was the last epoch.
   */
  static boolean follow(
      Federation federation,
      int decider,
      HeteroLrMessages.Epoch epoch,
      QuasiNewton quasi,
      double[] w,
      double[] lossGradient,
      boolean lastIsIntercept,
      HeteroLrParams params) {
    federation.send(
        decider,
        epoch.report(),
        WireNumbers.doubles(report(quasi, w, lossGradient, lastIsIntercept, params)),
        PayloadKind.PLAINTEXT_AGGREGATE);
    QuasiNewton.Step step =
        QuasiNewton.Step.of(
            WireNumbers.doubles(federation.receive(decider, epoch.decision(), params.timeout())));
    quasi.apply(step, w);
    return step.last();
  }
}
