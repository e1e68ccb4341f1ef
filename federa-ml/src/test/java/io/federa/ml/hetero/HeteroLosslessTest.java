package io.federa.ml.hetero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.datagen.Shape;
import io.federa.core.datagen.SyntheticData;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LinearRegression;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.linear.Standardization;
import io.federa.ml.linear.TaylorLogistic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hetero LR with default parameters on seeded vertical splits that are ill-conditioned, unscaled,
 * sparse, imbalanced, collinear and partly overlapping ({@code federa datagen}'s shapes): it lands
 * on centralized logistic regression — exact loss, the same L2 penalty (C = 1/(α·n)), standardized
 * columns — trained on the same rows (the exact sigmoid through the arbiter, {@link ExactSigmoid});
 * with {@code sigmoid: taylor} on the centralized optimum of FATE's Taylor loss instead. 1024-bit
 * test keys keep the runs short; the 2048-bit path runs in {@link HeteroLrTest} and the demo.
 */
class HeteroLosslessTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  /** Seed → (shape, overlap): each seed a different hard case. */
  private static Shape shape(long seed) {
    return switch ((int) seed) {
      case 1 -> new Shape(0.95, 0, 0, true, Double.NaN); // ill-conditioned and unscaled
      case 2 -> new Shape(0, 0.7, 0, false, 0.08); // sparse and imbalanced
      case 3 -> new Shape(0.5, 0, 3, false, 0.3); // collinear across the parties
      case 4 -> new Shape(0.8, 0.3, 2, true, 0.15); // all of it
      case 5 -> new Shape(0.3, 0, 0, true, 0.5);
      case 7 -> new Shape(0.9, 0.5, 0, false, 0.05); // ill-conditioned, sparse, 5 % positives
      case 8 -> new Shape(0.6, 0, 4, true, 0.2); // heavily collinear and unscaled
      case 9 -> new Shape(0, 0.9, 0, true, 0.4); // very sparse
      case 10 -> new Shape(0.99, 0, 1, false, 0.3); // nearly singular
      case 11 -> new Shape(0.4, 0.2, 2, true, 0.12);
      default -> Shape.PLAIN; // 6, 12
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void generatedSplit_reachesCentralizedLogisticRegression(long seed, @TempDir Path dir)
      throws Exception {
    Case c = Case.of(seed, dir, HeteroLrParams.Sigmoid.AUTO);
    System.out.printf(
        "seed %d %s: %d rows, %d epochs; exact LR: cosine %.6f, AUC %.4f vs %.4f (%+.4f)%n",
        seed,
        shape(seed),
        c.joined().rows(),
        c.run().losses().size(),
        c.cosineToExact(),
        c.federatedAuc(),
        c.exactAuc(),
        c.federatedAuc() - c.exactAuc());
    assertTrue(c.cosineToExact() >= 0.999, "cosine " + c.cosineToExact());
    assertEquals(c.exactAuc(), c.federatedAuc(), 0.003);
    assertTrue(c.run().losses().size() <= 40, "epochs: " + c.run().losses().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void taylor_reachesTheCentralizedOptimumOfTheTaylorLoss(long seed, @TempDir Path dir)
      throws Exception {
    Case c = Case.of(seed, dir, HeteroLrParams.Sigmoid.TAYLOR);
    LinearModel taylor = TaylorLogistic.fit(c.joined(), c.params().alpha(), ENGINE);
    double cosine = QuasiNewtonTest.cosine(c.federated(), taylor.weights()[0]);
    double taylorAuc =
        Metrics.auc(c.joined().labels(), LinearRegression.predict(taylor, c.joined(), ENGINE));
    System.out.printf(
        "seed %d taylor: cosine to the Taylor optimum %.6f, AUC %.4f vs %.4f; exact LR %.4f%n",
        seed, cosine, c.federatedAuc(), taylorAuc, c.exactAuc());
    assertTrue(cosine >= 0.999, "cosine " + cosine);
    assertEquals(taylorAuc, c.federatedAuc(), 0.001);
    // the Taylor loss's cost: within FATE's own 1% bar of exact LR on these shapes
    assertEquals(c.exactAuc(), c.federatedAuc(), 0.01);
  }

  /** One generated split trained federated and centralized. */
  private record Case(
      HeteroLrParams params,
      Table joined,
      HeteroLrTest.Run run,
      double[] federated,
      double federatedAuc,
      double exactAuc,
      double cosineToExact) {
    static Case of(long seed, Path dir, HeteroLrParams.Sigmoid sigmoid) throws Exception {
      var files =
          SyntheticData.vertical(dir, 1500, 5, 7, 0.6 + 0.025 * seed, shape(seed), seed, n -> {});
      HeteroLrTest.Aligned data = HeteroLrTest.Aligned.of(files.guestFile(), files.hostFile());
      HeteroLrParams params =
          HeteroLrParams.defaults()
              .withKey(HeParameters.insecureForTesting(1024))
              .withSigmoid(sigmoid);
      HeteroLrTest.Run run = HeteroLrTest.run(data.guest(), List.of(data.host()), params);
      Table joined = Standardization.of(data.joined(), true).apply(data.joined());
      double[] federated = QuasiNewtonTest.standardizedWeights(data, run);
      // exact logistic regression with the same penalty: C = 1/(α·n)
      LinearModel exact =
          LogisticRegression.fitBinary(
              joined,
              LogisticRegressionParams.ofAlpha(params.alpha(), joined.rows()),
              ENGINE,
              TrainingListener.NONE);
      return new Case(
          params,
          joined,
          run,
          federated,
          Metrics.auc(data.guest().labels(), run.probabilities()[0]),
          Metrics.auc(
              joined.labels(), LogisticRegression.predictProbability(exact, joined, ENGINE)),
          QuasiNewtonTest.cosine(federated, exact.weights()[0]));
    }
  }
}
