package io.federa.ml.homo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Homo LR with its default strategy (the arbiter's L-BFGS on the parties' full-batch gradients) on
 * seeded Dirichlet splits — from mild to parties that hold mostly one class — lands on centralized
 * LR of the same objective (L2, the same C) trained on every party's rows.
 */
class HomoLosslessTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void dirichletSplit_reachesTheCentralizedOptimum(long seed, @TempDir Path dir) throws Exception {
    double concentration = seed % 2 == 0 ? 0.1 : 1.0; // skewed, and mild
    var split =
        io.federa.core.datagen.SyntheticData.horizontal(
            dir, 3000, 8, 2, 4, concentration, 1000, seed, n -> {});
    List<Table> data = new ArrayList<>();
    for (var f : split.partyFiles()) {
      data.add(CsvTableReader.read(f, CsvOptions.labeled()));
    }
    Table test = CsvTableReader.read(split.testFile(), CsvOptions.labeled());
    HomoParams params = HomoParams.lbfgs();
    ParameterServer.Result result = HomoTest.serve(data, params, 0);
    Table all = HomoTest.concatAll(data);
    // the same objective: mean log-loss + α/2·‖w‖² ⇔ Σ log-loss + ‖w‖²/(2C) with C = 1/(α·n)
    LinearModel central =
        LogisticRegression.fitBinary(
            all,
            new LogisticRegressionParams(1 / (params.alpha() * all.rows()), 1000, 1e-12),
            ENGINE,
            TrainingListener.NONE);
    double[] w = result.model().weights();
    double[] c = central.weights()[0];
    double cosine = io.federa.core.linalg.ColumnOps.cosine(java.util.Arrays.copyOf(w, c.length), c);
    double federatedAuc = HomoTest.federated(result.model(), test);
    double centralAuc =
        Metrics.auc(test.labels(), LogisticRegression.predictProbability(central, test, ENGINE));
    System.out.printf(
        "homo L-BFGS, seed %d, Dirichlet %.1f: %d rounds, cosine %.6f, test AUC %.4f vs %.4f%n",
        seed, concentration, result.losses().size(), cosine, federatedAuc, centralAuc);
    assertTrue(cosine >= 0.999, "cosine " + cosine);
    assertEquals(centralAuc, federatedAuc, 0.003);
    assertEquals(central.intercepts()[0], w[c.length], 0.01 * (1 + Math.abs(w[c.length])));
    assertTrue(result.losses().size() < params.rounds(), "converged before the cap");
  }
}
