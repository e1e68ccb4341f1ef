package io.federa.ml.hetero;

import io.federa.core.table.Table;
import io.federa.federation.Federation;
import io.federa.ml.WireNumbers;
import java.util.List;

/**
 * The guest's side of federated prediction with a hetero LR/LinR/Poisson model: its own linear
 * predictor per class model plus each host's partial score {@code X_h·w_h} of every row, through
 * the objective's mean function. The guest learns each host's partial score of the predicted rows
 * (not the host's features or weights); a host only sends.
 */
final class LrGuestPrediction {
  private final Federation federation;
  private final HeteroLrMessages messages;
  private final List<Integer> hosts;
  private final HeteroLrParams params;

  LrGuestPrediction(
      Federation federation,
      HeteroLrMessages messages,
      List<Integer> hosts,
      HeteroLrParams params) {
    this.federation = federation;
    this.messages = messages;
    this.hosts = hosts;
    this.params = params;
  }

  /** Per class model, every row's mean (a probability, or LinR's value); offsets may be null. */
  double[][] probabilities(Table rows, double[] offset, HeteroLrGuestModel model, String tag) {
    double[][] z = LrScores.guestLinear(rows, model);
    for (int h : hosts) {
      LrScores.addHost(
          z,
          WireNumbers.doubles(federation.receive(h, messages.predict(tag), params.timeout())),
          h);
    }
    return LrScores.means(z, offset, params.objective());
  }
}
