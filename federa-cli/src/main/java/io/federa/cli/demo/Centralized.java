package io.federa.cli.demo;

import io.federa.cli.Timing;
import io.federa.core.compute.LocalEngine;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.nio.file.Path;
import java.util.List;

/**
 * The centralized baseline a federated run is held against: the model, its metrics on the same rows
 * (AUC and KS for a binary label, accuracy otherwise), how long it took and how many rows it saw.
 */
public record Centralized(
    String model, Double auc, Double ks, Double accuracy, double seconds, int joinedRows) {

  /**
   * Centralized LR on the files joined by id, with the job's L2 penalty {@code alpha} (C = 1/(α·n))
   * on the columns standardized as the job trains them: the baseline a federated run must meet.
   */
  static Centralized logisticRegression(
      Path guestData, List<Path> hostData, String idColumn, String label, double alpha) {
    long t0 = System.nanoTime();
    Table raw = JoinedData.read(guestData, hostData, idColumn, label);
    // as the federated job trains: each column as z-scores (the same rows, the same statistics)
    Table joined = io.federa.ml.linear.Standardization.of(raw, true).apply(raw);
    LocalEngine engine = LocalEngine.allCores();
    var central =
        LogisticRegression.fit(
            joined,
            alpha > 0
                ? LogisticRegressionParams.ofAlpha(alpha, joined.rows())
                : LogisticRegressionParams.defaults(),
            engine,
            TrainingListener.NONE);
    double[] p = LogisticRegression.predictProbability(central, joined, engine);
    return new Centralized(
        String.format(
            "LR on the joined data, columns standardized, the job's L2 α = %s (C = %.3g)",
            alpha, alpha > 0 ? 1 / (alpha * joined.rows()) : 1.0),
        Metrics.auc(joined.labels(), p),
        Metrics.ks(joined.labels(), p),
        null,
        Timing.secondsSince(t0),
        joined.rows());
  }
}
