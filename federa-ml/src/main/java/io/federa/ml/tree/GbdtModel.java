package io.federa.ml.tree;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import io.federa.ml.Features;
import java.util.List;

/**
 * A trained boosted ensemble: score = initial score + Σ tree outputs — one score, or one per class
 * for the softmax, where tree {@code t} adds to class {@code t mod K} (or, multi-output, every
 * tree's leaf adds to every class).
 *
 * @param initialScores where each dimension's score starts (one value unless softmax)
 * @param classes the softmax's classes in ascending order; null for the other losses
 */
public record GbdtModel(
    GbdtParams.Loss loss,
    double[] initialScores,
    List<Tree> trees,
    List<String> featureNames,
    double[] classes) {
  public GbdtModel {
    trees = List.copyOf(trees);
    featureNames = List.copyOf(featureNames);
    initialScores = initialScores.clone();
    classes = classes == null ? null : classes.clone();
  }

  /** Scores per row: one, or one per class. */
  public int dimensions() {
    return initialScores.length;
  }

  /** Raw scores of a one-score model (log-odds for the logistic loss). */
  public double[] rawScores(Table table, ComputingEngine engine) {
    if (dimensions() != 1) {
      throw new IllegalStateException("a softmax model has one score per class: rawScoresByClass");
    }
    return rawScoresByClass(table, engine)[0];
  }

  /** Raw scores {@code [dimension][row]}. */
  public double[][] rawScoresByClass(Table table, ComputingEngine engine) {
    double[][] columns = Features.columnsFor(table, featureNames);
    int dims = dimensions();
    double[][] out = new double[dims][table.rows()];
    engine.forEachRange(
        table.rows(),
        (from, to) -> {
          for (int i = from; i < to; i++) {
            for (int k = 0; k < dims; k++) {
              out[k][i] = initialScores[k];
            }
            for (int t = 0; t < trees.size(); t++) {
              Tree tree = trees.get(t);
              Tree.addLeaf(out, t, i, tree.value(), tree.nodes(), tree.leaf(columns, i));
            }
          }
        });
    return out;
  }

  /** Probabilities of class 1 (logistic) or predicted values (squared). */
  public double[] predict(Table table, ComputingEngine engine) {
    return Targets.probabilities(loss, new double[][] {rawScores(table, engine)})[0];
  }

  /** Class probabilities {@code [class][row]} of a softmax model. */
  public double[][] probabilities(Table table, ComputingEngine engine) {
    return Targets.probabilities(loss, rawScoresByClass(table, engine));
  }
}
