package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.Federation;
import io.federa.federation.PayloadKind;
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

  /**
   * The decider's side after epoch {@code t} with loss {@code loss}; {@code ownSquaredChange} is
   * the decider's own weight change (0 for the arbiter). Returns whether this was the last epoch.
   */
  boolean decide(
      Federation federation,
      HeteroLrMessages.Epoch epoch,
      List<Integer> parties,
      int t,
      double loss,
      double ownSquaredChange) {
    double change;
    if (params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF) {
      double squared = ownSquaredChange;
      for (int party : parties) {
        squared += Wire.doubles(federation.receive(party, epoch.weightDiff(), params.timeout()))[0];
      }
      change = Math.sqrt(squared);
    } else {
      change = Double.isNaN(previous) ? Double.POSITIVE_INFINITY : Math.abs(previous - loss);
    }
    previous = loss;
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
      federation.send(party, epoch.goOn(), flag, PayloadKind.CONTROL);
    }
    return last;
  }

  /**
   * Every other party's side: reports its squared weight change ({@code w} against the epoch's
   * {@code start}) when the decider judges by weights, then hears whether this was the last epoch.
   */
  static boolean follow(
      Federation federation,
      int decider,
      HeteroLrMessages.Epoch epoch,
      double[] w,
      double[] start,
      HeteroLrParams params) {
    if (params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF) {
      federation.send(
          decider,
          epoch.weightDiff(),
          Wire.doubles(new double[] {squaredChange(w, start)}),
          PayloadKind.PLAINTEXT_AGGREGATE);
    }
    byte[] go = federation.receive(decider, epoch.goOn(), params.timeout());
    if (go.length != 1) {
      throw new FederaException(ErrorCode.PROTOCOL, "the decider's continue flag is malformed");
    }
    return go[0] == 0;
  }

  static double squaredChange(double[] w, double[] start) {
    double squared = 0;
    for (int j = 0; j < w.length; j++) {
      squared += (w[j] - start[j]) * (w[j] - start[j]);
    }
    return squared;
  }
}
