package io.federa.ml.tree;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.ml.Features;
import java.util.List;

/** A trained boosted ensemble: raw score = initial score + Σ tree outputs. */
public record GbdtModel(
    GbdtParams.Loss loss, double initialScore, List<Tree> trees, List<String> featureNames) {
  public GbdtModel {
    trees = List.copyOf(trees);
    featureNames = List.copyOf(featureNames);
  }

  /** Raw scores (log-odds for the logistic loss). */
  public double[] rawScores(Table table, ComputingEngine engine) {
    double[][] columns = Features.columnsFor(table, featureNames);
    double[] out = new double[table.rows()];
    engine.forEachRange(
        table.rows(),
        (from, to) -> {
          for (int i = from; i < to; i++) {
            double s = initialScore;
            for (Tree t : trees) {
              s += t.predict(columns, i);
            }
            out[i] = s;
          }
        });
    return out;
  }

  /** Probabilities of class 1 (logistic) or predicted values (squared). */
  public double[] predict(Table table, ComputingEngine engine) {
    double[] raw = rawScores(table, engine);
    if (loss == GbdtParams.Loss.LOGISTIC) {
      for (int i = 0; i < raw.length; i++) {
        raw[i] = ColumnOps.sigmoid(raw[i]);
      }
    }
    return raw;
  }
}
