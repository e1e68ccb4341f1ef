package io.federa.ml.hetero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hetero LR with guest, hosts and arbiter as threads (in-process federation), against centralized
 * LR on the joined data. The breast run uses the real 2048-bit keys; the others use 1024-bit keys
 * (each says so) to keep the suite within CI's time: key size changes the cost, not the arithmetic
 * of the protocol.
 */
class HeteroLrTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final ExecutorService PARTIES = io.federa.ml.PartyThreads.POOL;

  /** Guest and host rows aligned as PSI would (the guest's order, ids both hold), and the join. */
  record Aligned(Table guest, Table host, Table joined) {
    static Aligned of(String name) {
      var split = io.federa.ml.VerticalSplit.of(name);
      return new Aligned(split.guest(), split.host(), split.joined());
    }

    static Aligned of(java.nio.file.Path guestFile, java.nio.file.Path hostFile) {
      var split = io.federa.ml.VerticalSplit.of(guestFile, hostFile);
      return new Aligned(split.guest(), split.host(), split.joined());
    }

    /** Centralized binary LR (the foundation's baseline, C = 1): train AUC. */
    double centralizedAuc() {
      var central =
          LogisticRegression.fit(
              joined, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
      return Metrics.auc(
          joined.labels(), LogisticRegression.predictProbability(central, joined, ENGINE));
    }
  }

  /** What a federated run gives back. */
  record Run(
      HeteroLrGuestModel model,
      double[][] probabilities,
      List<Double> losses,
      List<HostModel> hosts) {}

  /** Runs guest, hosts (one per table) and arbiter; predicts the training rows federatedly. */
  static Run run(Table guest, List<Table> hosts, HeteroLrParams params) throws Exception {
    return run(guest, hosts, params, true);
  }

  static Run run(Table guest, List<Table> hosts, HeteroLrParams params, boolean withArbiter)
      throws Exception {
    return run(guest, null, hosts, params, withArbiter);
  }

  /** As {@link #run}, the guest's linear predictor shifted by {@code offset} (null: none). */
  static Run run(
      Table guest, double[] offset, List<Table> hosts, HeteroLrParams params, boolean withArbiter)
      throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "hetero_lr_0", "");
    List<Integer> hostIds = new ArrayList<>();
    for (int h = 0; h < hosts.size(); h++) {
      hostIds.add(10000 + h);
    }
    int arbiterId = 20000;
    Topology topology = withArbiter ? Topology.arbiter(arbiterId) : Topology.twoParty();
    List<Double> guestLosses = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<List<Double>> losses;
    if (withArbiter) {
      var arbiter = new HeteroLrArbiter(net.party(arbiterId), key, 9999, hostIds, params);
      losses = CompletableFuture.supplyAsync(() -> arbiter.fit(TrainingListener.NONE), PARTIES);
    } else {
      losses = CompletableFuture.completedFuture(guestLosses);
    }
    List<HeteroLrHost> hostSides = new ArrayList<>();
    List<CompletableFuture<HostModel>> hostWeights = new ArrayList<>();
    for (int h = 0; h < hosts.size(); h++) {
      var side = new HeteroLrHost(net.party(hostIds.get(h)), key, 9999, topology, params, ENGINE);
      Table table = hosts.get(h);
      hostSides.add(side);
      hostWeights.add(CompletableFuture.supplyAsync(() -> side.fit(table), PARTIES));
    }
    var guestSide = new HeteroLrGuest(net.party(9999), key, hostIds, topology, params, ENGINE);
    HeteroLrGuestModel model =
        guestSide.fit(guest, offset, (it, planned, loss) -> guestLosses.add(loss));
    for (int h = 0; h < hosts.size(); h++) {
      hostSides.get(h).predict(hosts.get(h), hostWeights.get(h).get(), "train");
    }
    double[][] p = guestSide.probabilities(guest, offset, model, "train");
    List<HostModel> hostModels = new ArrayList<>();
    for (var f : hostWeights) {
      hostModels.add(f.get());
    }
    return new Run(model, p, losses.get(), hostModels);
  }

  static double auc(Aligned data, HeteroLrParams params) throws Exception {
    Run r = run(data.guest(), List.of(data.host()), params);
    return Metrics.auc(data.guest().labels(), r.probabilities()[0]);
  }

  private static HeteroLrParams testKeys(HeteroLrParams p) {
    return p.withKey(HeParameters.insecureForTesting(1024));
  }

  @Test
  void breastWith2048BitKeys_matchesCentralizedAuc() throws Exception {
    Aligned data = Aligned.of("breast");
    Run r = run(data.guest(), List.of(data.host()), HeteroLrParams.defaults());
    double federated = Metrics.auc(data.guest().labels(), r.probabilities()[0]);
    assertEquals(data.centralizedAuc(), federated, 0.01);
    assertTrue(r.losses().get(r.losses().size() - 1) < r.losses().get(0), r.losses().toString());
  }

  /** Okamoto–Uchiyama in place of Paillier (2048 bits): the same model, within the tolerance. */
  @Test
  void breastWithOu2048BitKeys_matchesCentralizedAuc() throws Exception {
    Aligned data = Aligned.of("breast");
    var params =
        HeteroLrParams.defaults()
            .withKey(HeParameters.defaults().withScheme(io.federa.crypto.he.HeScheme.OU));
    Run r = run(data.guest(), List.of(data.host()), params);
    double federated = Metrics.auc(data.guest().labels(), r.probabilities()[0]);
    assertEquals(data.centralizedAuc(), federated, 0.01);
    Run paillier = run(data.guest(), List.of(data.host()), HeteroLrParams.defaults());
    assertEquals(paillier.losses().size(), r.losses().size());
    for (int i = 0; i < r.losses().size(); i++) {
      // the same fixed-point arithmetic under either scheme: the same losses
      assertEquals(paillier.losses().get(i), r.losses().get(i), 1e-9, "epoch " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(HeteroLrParams.Optimizer.class)
  void breastWithEveryOptimizer_matchesCentralizedAuc(HeteroLrParams.Optimizer optimizer)
      throws Exception {
    double rate =
        switch (optimizer) {
          case SGD -> 0.3;
          case NESTEROV_MOMENTUM_SGD -> 0.05;
          case RMSPROP -> 0.05;
          case ADAM -> 0.15;
          case LBFGS -> 1; // not used
        };
    var params =
        testKeys(HeteroLrParams.defaults().withOptimizer(optimizer).withLearningRate(rate))
            .withMaxIter(40);
    Aligned data = Aligned.of("breast");
    assertEquals(data.centralizedAuc(), auc(data, params), 0.01, optimizer.toString());
  }

  @Test
  void defaultCredit_matchesCentralizedAuc() throws Exception {
    // 30,000 rows × 30 epochs: 1024-bit keys keep this under a minute; the 2048-bit cost of the
    // same run is measured by 'federa bench hetero-lr'
    Aligned data = Aligned.of("default_credit");
    var params = testKeys(HeteroLrParams.defaults().withLearningRate(0.3));
    double federated = auc(data, params);
    double centralized = data.centralizedAuc();
    System.out.printf(
        "default_credit: federated AUC %.4f, centralized %.4f%n", federated, centralized);
    assertEquals(centralized, federated, 0.01);
  }

  @Test
  void miniBatchesL1AndWeightConvergence_stillLearn() throws Exception {
    Aligned data = Aligned.of("breast");
    var params =
        testKeys(
            HeteroLrParams.defaults()
                .withBatchSize(200)
                .withPenalty(HeteroLrParams.Penalty.L1, 0.001)
                .withConvergence(HeteroLrParams.Convergence.WEIGHT_DIFF, 0.2));
    Run r = run(data.guest(), List.of(data.host()), params);
    double federated = Metrics.auc(data.guest().labels(), r.probabilities()[0]);
    assertEquals(data.centralizedAuc(), federated, 0.01);
    assertTrue(r.losses().size() < 30, "weight-difference convergence stops early: " + r.losses());
  }

  @Test
  void twoHosts_matchCentralizedAuc() throws Exception {
    Aligned data = Aligned.of("breast");
    // the host's 20 features split between two hosts of 10
    Table host1 = columns(data.host(), 0, 10);
    Table host2 = columns(data.host(), 10, 20);
    Run r = run(data.guest(), List.of(host1, host2), testKeys(HeteroLrParams.defaults()));
    double federated = Metrics.auc(data.guest().labels(), r.probabilities()[0]);
    assertEquals(data.centralizedAuc(), federated, 0.01);
  }

  @Test
  void vehicleOneVsRest_accuracyNearCentralizedOneVsRest() throws Exception {
    Aligned data = Aligned.of("vehicle_scale");
    // centralized one-vs-rest LR (C = 1) on the joined data, standardized as hetero LR trains
    Table joined = io.federa.ml.linear.Standardization.of(data.joined(), true).apply(data.joined());
    double[] classes = HeteroLrGuestModel.classesOf(joined.labels());
    double[][] central = new double[classes.length][];
    for (int k = 0; k < classes.length; k++) {
      double c = classes[k];
      double[] y = java.util.Arrays.stream(joined.labels()).map(v -> v == c ? 1 : 0).toArray();
      Table binary = new Table(joined.schema(), joined.ids(), y, columnsOf(joined));
      central[k] =
          LogisticRegression.predictProbability(
              LogisticRegression.fitBinary(
                  binary, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE),
              binary,
              ENGINE);
    }
    double centralAccuracy = accuracy(joined.labels(), central, classes);
    // the same penalty as C = 1 (α = 1/n), the default L-BFGS to convergence; 1024-bit test keys
    var params =
        testKeys(HeteroLrParams.defaults())
            .withPenalty(HeteroLrParams.Penalty.L2, 1.0 / joined.rows());
    Run r = run(data.guest(), List.of(data.host()), params);
    assertEquals(4, r.model().classes().length);
    double federatedAccuracy = accuracy(data.guest().labels(), r.probabilities(), classes);
    System.out.printf(
        "vehicle one-vs-rest: federated accuracy %.4f, centralized %.4f%n",
        federatedAccuracy, centralAccuracy);
    // the exact sigmoid (the default with an arbiter) reaches centralized one-vs-rest LR; FATE's
    // Taylor loss stopped at 0.774 here (its least-squares optimum), docs/vertical-fl.md
    assertEquals(centralAccuracy, federatedAccuracy, 0.005);
  }

  @Test
  void withoutArbiter_guestAndHostAlone_matchCentralizedAuc() throws Exception {
    // Yang et al. 2019: each party its own 1024-bit test key pair (the 2048-bit path is the arbiter
    // run above; the key size does not change the protocol's arithmetic)
    Aligned data = Aligned.of("breast");
    Run r = run(data.guest(), List.of(data.host()), testKeys(HeteroLrParams.defaults()), false);
    double federated = Metrics.auc(data.guest().labels(), r.probabilities()[0]);
    assertEquals(data.centralizedAuc(), federated, 0.01);
    // the guest learns every epoch's objective; L-BFGS converges well before max_iter (100)
    int epochs = r.losses().size();
    assertTrue(epochs >= 5 && epochs < 40, "epochs: " + epochs);
    assertTrue(r.losses().get(epochs - 1) < r.losses().get(0));
  }

  @Test
  void aTwoValuedLabelOtherThanZeroOneIsRefused() {
    FederaException e =
        assertThrows(
            FederaException.class, () -> HeteroLrGuestModel.classesOf(new double[] {1, 2, 2, 1}));
    assertTrue(e.getMessage().contains("recode the label column as 0/1"));
  }

  private static double accuracy(double[] labels, double[][] p, double[] classes) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        if (p[k][i] > p[best][i]) {
          best = k;
        }
      }
      right += classes[best] == labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }

  private static double[][] columnsOf(Table t) {
    double[][] cols = new double[t.features()][];
    for (int j = 0; j < cols.length; j++) {
      cols[j] = t.column(j);
    }
    return cols;
  }

  private static Table columns(Table t, int from, int to) {
    return io.federa.ml.VerticalSplit.columns(t, from, to);
  }

  /**
   * Hetero LinR (the exact residual and squared loss) on student with the real 2048-bit keys: the
   * RMSE of centralized least squares on the joined rows, within 2 % (the data README's bar; the
   * unscaled columns leave Adam 1.6 % short after 200 epochs, which the lossless-defaults issue's
   * scaling takes on).
   */
  @Test
  void studentLinR_reachesTheCentralizedRmse() throws Exception {
    Aligned data = Aligned.of("student");
    var params =
        HeteroLrParams.defaults()
            .withObjective(HeteroLrParams.Objective.LINEAR)
            .withPenalty(HeteroLrParams.Penalty.NONE, 0)
            .withLearningRate(0.3)
            .withMaxIter(200)
            .withConvergence(HeteroLrParams.Convergence.LOSS, 1e-7);
    Run r = run(data.guest(), List.of(data.host()), params);
    var central = io.federa.ml.linear.LinearRegression.fit(data.joined(), ENGINE);
    double centralRmse =
        Metrics.rmse(
            data.joined().labels(),
            io.federa.ml.linear.LinearRegression.predict(central, data.joined(), ENGINE));
    double rmse = Metrics.rmse(data.joined().labels(), r.probabilities()[0]);
    System.out.printf(
        "student hetero LinR: RMSE %.4f after %d epochs, centralized %.4f%n",
        rmse, r.losses().size(), centralRmse);
    assertEquals(centralRmse, rmse, 0.02 * centralRmse);
  }

  /**
   * Hetero Poisson (exp(u_g)·[[exp(u_h)]] − y, exact) on seeded counts from a known log-linear
   * model, 3 + 3 features, 2048-bit keys; with an exposure column at the guest (FATE's {@code
   * exposure_colname}: mean exposure·exp(z)) or without: the coefficients of centralized Poisson
   * regression (L-BFGS, the same L2, the same offset) within 0.02, its mean deviance within 1 %.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void poisson_reachesTheCentralizedFit(boolean withExposure) throws Exception {
    int n = 2000;
    java.util.Random r = new java.util.Random(11);
    double[][] cols = new double[6][n];
    double[] exposure = new double[n];
    double[] y = new double[n];
    String[] ids = new String[n];
    double[] truth = {0.4, -0.3, 0.2, 0.3, 0.0, -0.2};
    for (int i = 0; i < n; i++) {
      ids[i] = "r" + i;
      exposure[i] = withExposure ? 0.25 + 2.75 * r.nextDouble() : 1;
      double z = 0.5;
      for (int j = 0; j < 6; j++) {
        cols[j][i] = r.nextGaussian();
        z += truth[j] * cols[j][i];
      }
      double mu = exposure[i] * Math.exp(z); // Knuth's Poisson draw
      double l = Math.exp(-mu);
      double p = 1;
      int k = 0;
      do {
        k++;
        p *= r.nextDouble();
      } while (p > l);
      y[i] = k - 1;
    }
    var schema =
        new io.federa.core.table.Schema("id", "y", List.of("g0", "g1", "g2", "h0", "h1", "h2"));
    Table joined = new Table(schema, ids, y, cols);
    Table guest =
        new Table(
            new io.federa.core.table.Schema("id", "y", List.of("g0", "exposure", "g1", "g2")),
            ids,
            y,
            new double[][] {cols[0], exposure, cols[1], cols[2]});
    double[] offset = null;
    if (withExposure) {
      Exposure e = Exposure.of(guest, "exposure");
      guest = e.features();
      offset = e.offset();
      assertEquals(List.of("g0", "g1", "g2"), guest.schema().featureNames());
    } else {
      guest = io.federa.core.table.Tables.columns(guest, List.of(0, 2, 3), true);
    }
    Table host = io.federa.ml.VerticalSplit.columns(joined, 3, 6);
    var params =
        HeteroLrParams.defaults()
            .withObjective(HeteroLrParams.Objective.POISSON)
            .withPenalty(HeteroLrParams.Penalty.L2, 0.01)
            .withLearningRate(0.1)
            .withMaxIter(150)
            .withConvergence(HeteroLrParams.Convergence.LOSS, 1e-9);
    // with exposure a 1024-bit test key: the offset is the guest's plaintext arithmetic, and the
    // run without it takes the real 2048-bit path (each run is 150 epochs)
    Run run = run(guest, offset, List.of(host), withExposure ? testKeys(params) : params, true);
    var central = io.federa.ml.linear.PoissonRegression.fit(joined, offset, 0.01, ENGINE);
    double[] w = run.model().weights()[0];
    for (int j = 0; j < 3; j++) {
      assertEquals(central.weights()[0][j], w[j], 0.02, "guest coefficient " + j);
    }
    assertEquals(central.intercepts()[0], run.model().intercepts()[0], 0.02, "intercept");
    double[] centralMu =
        io.federa.ml.linear.PoissonRegression.predict(central, joined, offset, ENGINE);
    double dc = deviance(y, centralMu);
    double df = deviance(y, run.probabilities()[0]);
    System.out.printf(
        "hetero Poisson%s: mean deviance %.5f, centralized %.5f; intercept %.4f (truth 0.5)%n",
        withExposure ? " with exposure" : "", df, dc, run.model().intercepts()[0]);
    assertEquals(dc, df, 0.01 * dc);
  }

  /** A missing or non-positive exposure is refused with the row and the fix. */
  @Test
  void exposure_refusesAValueThatIsNotAboveZero() {
    Table rows =
        new Table(
            new io.federa.core.table.Schema("id", "y", List.of("x", "exposure")),
            new String[] {"a", "b"},
            new double[] {1, 0},
            new double[][] {{1, 2}, {1.5, 0}});
    var e = assertThrows(FederaException.class, () -> Exposure.of(rows, "exposure"));
    assertTrue(
        e.getMessage().contains("row 1") && e.getMessage().contains("above 0"), e.getMessage());
    var missing = assertThrows(FederaException.class, () -> Exposure.of(rows, "time"));
    assertTrue(missing.getMessage().contains("'time'"), missing.getMessage());
  }

  private static double deviance(double[] y, double[] mu) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
    }
    return s / y.length;
  }
}
