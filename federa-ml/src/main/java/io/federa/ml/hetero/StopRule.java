package io.federa.ml.hetero;

import io.federa.federation.Federation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import java.util.List;

/**
 * The decider's end of an epoch (the arbiter, or the guest without one): gathers the others'
 * squared weight changes when convergence is by weights, decides, and tells everyone whether to go
 * on. The other side is {@link HeteroLrArbiter#goOn}.
 */
final class StopRule {
  private final HeteroLrParams params;
  private double previous = Double.NaN;

  StopRule(HeteroLrParams params) {
    this.params = params;
  }

  /** The loss of the last epoch decided (NaN before the first). */
  double previous() {
    return previous;
  }

  void restore(double previousLoss) {
    previous = previousLoss;
  }

  /**
   * Decides after epoch {@code t} with loss {@code loss}; {@code ownSquaredChange} is the decider's
   * own weight change (0 for the arbiter). Returns whether this was the last epoch.
   */
  boolean decide(
      Federation federation,
      MessageKey key,
      String epoch,
      List<Integer> parties,
      int t,
      double loss,
      double ownSquaredChange) {
    double change;
    if (params.convergence() == HeteroLrParams.Convergence.WEIGHT_DIFF) {
      double squared = ownSquaredChange;
      for (int party : parties) {
        squared +=
            Wire.doubles(
                federation.receive(party, key.withTag(epoch + "weight_diff"), params.timeout()))[0];
      }
      change = Math.sqrt(squared);
    } else {
      change = Double.isNaN(previous) ? Double.POSITIVE_INFINITY : Math.abs(previous - loss);
    }
    previous = loss;
    boolean last = change < params.tol() || t == params.maxIter() - 1;
    byte[] flag = {(byte) (last ? 0 : 1)};
    for (int party : parties) {
      federation.send(party, key.withTag(epoch + "continue"), flag, PayloadKind.CONTROL);
    }
    return last;
  }
}
