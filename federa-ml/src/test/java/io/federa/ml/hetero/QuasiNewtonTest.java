package io.federa.ml.hetero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.Standardization;
import io.federa.ml.linear.TaylorLogistic;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L-BFGS across the parties (the default optimizer) reaches the centralized optimum of the same
 * objective in few epochs, with and without an arbiter. 1024-bit test keys keep the class short;
 * the 2048-bit path with the same default optimizer runs in {@link HeteroLrTest}.
 */
class QuasiNewtonTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  /** The federated weights in standardized units, guest's features then the host's. */
  static double[] standardizedWeights(HeteroLrTest.Aligned data, HeteroLrTest.Run run) {
    Standardization g = Standardization.of(data.guest(), true);
    Standardization h = Standardization.of(data.host(), true);
    double[] wg = run.model().weights()[0];
    double[] wh = run.hosts().get(0).weights()[0];
    double[] w = new double[wg.length + wh.length];
    for (int j = 0; j < wg.length; j++) {
      w[j] = wg[j] * g.std()[j];
    }
    for (int j = 0; j < wh.length; j++) {
      w[wg.length + j] = wh[j] * h.std()[j];
    }
    return w;
  }

  static double cosine(double[] a, double[] b) {
    return io.federa.core.linalg.ColumnOps.cosine(a, b);
  }

  /**
   * With an arbiter the default is the exact sigmoid, so the target is centralized LR (exact loss,
   * C = 1/(α·n)); guest and host alone train FATE's Taylor loss, whose optimum is in closed form.
   */
  private static void assertReachesCentralizedOptimum(boolean withArbiter) throws Exception {
    HeteroLrTest.Aligned data = HeteroLrTest.Aligned.of("breast");
    HeteroLrParams params =
        HeteroLrParams.defaults().withKey(HeParameters.insecureForTesting(1024));
    HeteroLrTest.Run run =
        HeteroLrTest.run(data.guest(), List.of(data.host()), params, withArbiter);
    Table joined = Standardization.of(data.joined(), true).apply(data.joined());
    LinearModel central =
        withArbiter
            ? io.federa.ml.linear.LogisticRegression.fitBinary(
                joined,
                io.federa.ml.linear.LogisticRegressionParams.ofAlpha(params.alpha(), joined.rows()),
                ENGINE,
                io.federa.ml.TrainingListener.NONE)
            : TaylorLogistic.fit(joined, params.alpha(), ENGINE);
    double cos = cosine(standardizedWeights(data, run), central.weights()[0]);
    double federatedAuc = Metrics.auc(data.guest().labels(), run.probabilities()[0]);
    double centralAuc =
        Metrics.auc(
            joined.labels(), io.federa.ml.linear.LinearRegression.predict(central, joined, ENGINE));
    System.out.printf(
        "breast L-BFGS (%s): %d epochs, cosine to the centralized %s optimum %.6f, AUC %.4f vs"
            + " %.4f%n",
        withArbiter ? "arbiter" : "two parties",
        run.losses().size(),
        withArbiter ? "logistic" : "Taylor",
        cos,
        federatedAuc,
        centralAuc);
    assertTrue(cos >= 0.9999, "cosine " + cos);
    assertEquals(centralAuc, federatedAuc, 0.0005);
    assertTrue(run.losses().size() <= 40, "epochs: " + run.losses().size());
  }

  @Test
  void withArbiter_reachesCentralizedLogisticRegression() throws Exception {
    assertReachesCentralizedOptimum(true);
  }

  @Test
  void withoutArbiter_reachesTheCentralizedTaylorOptimum() throws Exception {
    assertReachesCentralizedOptimum(false);
  }

  @Test
  void exactSigmoidWithoutAnArbiter_isRefusedNamingTheFix() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.federa.core.FederaException.class,
            () ->
                Topology.check(
                    Topology.twoParty(),
                    1,
                    HeteroLrParams.defaults().withSigmoid(HeteroLrParams.Sigmoid.EXACT)));
    assertTrue(e.getMessage().contains("sigmoid exact needs an arbiter"), e.getMessage());
    // the default resolves to the Taylor expansion there, and to the exact sigmoid with an arbiter
    assertTrue(!HeteroLrParams.defaults().exactSigmoid(false));
    assertTrue(HeteroLrParams.defaults().exactSigmoid(true));
    assertTrue(
        !HeteroLrParams.defaults()
            .withObjective(HeteroLrParams.Objective.LINEAR)
            .withSigmoid(HeteroLrParams.Sigmoid.EXACT)
            .exactSigmoid(true));
  }

  @Test
  void refusesMiniBatchesAndL1WithAClearError() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.federa.core.FederaException.class,
            () ->
                new HeteroLrParams(
                    100,
                    0.1,
                    0,
                    0.01,
                    1e-6,
                    HeteroLrParams.Optimizer.LBFGS,
                    HeParameters.defaults(),
                    java.time.Duration.ofMinutes(1),
                    HeteroLrParams.Penalty.L2,
                    64,
                    HeteroLrParams.Convergence.LOSS,
                    HeteroLrParams.Objective.LOGISTIC,
                    true,
                    HeteroLrParams.Sigmoid.AUTO));
    assertTrue(e.getMessage().contains("batch_size to -1"), e.getMessage());
    // the builder's mini-batch and L1 switch the L-BFGS default to Adam
    assertEquals(
        HeteroLrParams.Optimizer.ADAM, HeteroLrParams.defaults().withBatchSize(64).optimizer());
    assertEquals(
        HeteroLrParams.Optimizer.ADAM,
        HeteroLrParams.defaults().withPenalty(HeteroLrParams.Penalty.L1, 0.01).optimizer());
  }
}
