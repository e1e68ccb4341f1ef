package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.federation.Federation;
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
    double[][] columns = new double[rows.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = rows.column(j);
    }
    int k = model.classes().length;
    int n = rows.rows();
    double[][] z = new double[k][n];
    for (int c = 0; c < k; c++) {
      ColumnOps.linearPredictor(columns, model.weights()[c], model.intercepts()[c], 0, n, z[c]);
    }
    for (int h : hosts) {
      double[] part = Wire.doubles(federation.receive(h, messages.predict(tag), params.timeout()));
      if (part.length != k * n) {
        throw new FederaException(
            ErrorCode.PROTOCOL,
            "party " + h + " sent " + part.length + " partial scores, expected " + k * n);
      }
      for (int c = 0; c < k; c++) {
        for (int i = 0; i < n; i++) {
          z[c][i] += part[c * n + i];
        }
      }
    }
    for (double[] zc : z) {
      for (int i = 0; i < n; i++) {
        zc[i] = params.objective().mean(zc[i] + (offset == null ? 0 : offset[i]));
      }
    }
    return z;
  }
}
