package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;

/**
 * The arithmetic of a hetero LR/LinR/Poisson prediction, shared by the batch predict job and online
 * serving so both give the same numbers: each host's partial scores {@code X_h·w_h + shift}, the
 * guest's own linear predictor, their sum, and the objective's mean function.
 */
public final class LrScores {
  private LrScores() {}

  /** A host's partial scores of {@code rows}: class model {@code k}'s at {@code [k·n, (k+1)·n)}. */
  public static double[] hostPartials(Table rows, HostModel model) {
    double[][] weights = model.weights();
    double[][] columns = columns(rows);
    int n = rows.rows();
    double[] u = new double[weights.length * n];
    double[] one = new double[n];
    for (int k = 0; k < weights.length; k++) {
      ColumnOps.linearPredictor(columns, weights[k], model.shifts()[k], 0, n, one);
      System.arraycopy(one, 0, u, k * n, n);
    }
    return u;
  }

  /** The guest's own linear predictor of every row, per class model. */
  public static double[][] guestLinear(Table rows, HeteroLrGuestModel model) {
    double[][] columns = columns(rows);
    int k = model.classes().length;
    int n = rows.rows();
    double[][] z = new double[k][n];
    for (int c = 0; c < k; c++) {
      ColumnOps.linearPredictor(columns, model.weights()[c], model.intercepts()[c], 0, n, z[c]);
    }
    return z;
  }

  /** Adds {@code party}'s partial scores to {@code z}; refuses a count that does not fit. */
  public static void addHost(double[][] z, double[] part, int party) {
    int k = z.length;
    int n = k == 0 ? 0 : z[0].length;
    if (part.length != k * n) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "party " + party + " sent " + part.length + " partial scores, expected " + k * n);
    }
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < n; i++) {
        z[c][i] += part[c * n + i];
      }
    }
  }

  /** Replaces every linear predictor by the objective's mean; offsets may be null. */
  public static double[][] means(
      double[][] z, double[] offset, HeteroLrParams.Objective objective) {
    for (double[] zc : z) {
      for (int i = 0; i < zc.length; i++) {
        zc[i] = objective.mean(zc[i] + (offset == null ? 0 : offset[i]));
      }
    }
    return z;
  }

  private static double[][] columns(Table rows) {
    double[][] columns = new double[rows.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = rows.column(j);
    }
    return columns;
  }
}
