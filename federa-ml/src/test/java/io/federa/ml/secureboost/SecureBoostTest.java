package io.federa.ml.secureboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.TrainingListener;
import io.federa.ml.VerticalSplit;
import io.federa.ml.tree.GbdtModel;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.GradientBoosting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hetero SecureBoost with guest and host as threads over the in-process federation, against the
 * centralized GBDT with the same parameters on the joined rows: lossless means the same trees, so
 * the same scores to rounding. The breast run uses the real 2048-bit key.
 */
class SecureBoostTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final ExecutorService PARTIES = Executors.newCachedThreadPool();

  @AfterAll
  static void stop() {
    PARTIES.shutdownNow();
  }

  /** A federated run: the guest's model, each host's, the training rows' raw scores. */
  record Run(
      SecureBoostGuestModel guest,
      List<SecureBoostHostModel> hosts,
      double[] raw,
      InProcessFederation.Network net) {}

  static Run run(Table guest, List<Table> hosts, SecureBoostParams params) throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "secureboost_0", "");
    List<Integer> ids = new ArrayList<>();
    List<SecureBoostHost> sides = new ArrayList<>();
    List<CompletableFuture<SecureBoostHostModel>> models = new ArrayList<>();
    for (int k = 0; k < hosts.size(); k++) {
      int id = 10000 + k;
      ids.add(id);
      var side = new SecureBoostHost(net.party(id), key, 9999, params, ENGINE);
      sides.add(side);
      Table table = hosts.get(k);
      models.add(CompletableFuture.supplyAsync(() -> side.fit(table), PARTIES));
    }
    var guestSide =
        new SecureBoostGuest(net.party(9999), key, ids, params, ENGINE, TrainingListener.NONE);
    SecureBoostGuestModel model = guestSide.fit(guest);
    List<SecureBoostHostModel> hostModels = new ArrayList<>();
    List<CompletableFuture<Void>> serving = new ArrayList<>();
    for (int k = 0; k < hosts.size(); k++) {
      SecureBoostHostModel m = models.get(k).get();
      hostModels.add(m);
      var side = sides.get(k);
      Table table = hosts.get(k);
      serving.add(CompletableFuture.runAsync(() -> side.predict(m, table, "train"), PARTIES));
    }
    double[] raw = guestSide.rawScores(model, guest, "train");
    for (var s : serving) {
      s.get();
    }
    return new Run(model, hostModels, raw, net);
  }

  @Test
  void breastWith2048BitKeys_isTheCentralizedGbdt() throws Exception {
    VerticalSplit data = VerticalSplit.of("breast");
    GbdtParams boosting = GbdtParams.defaults(GbdtParams.Loss.LOGISTIC).withTrees(5);
    Run run =
        run(
            data.guest(),
            List.of(data.host()),
            SecureBoostParams.defaults(GbdtParams.Loss.LOGISTIC).withBoosting(boosting));

    GbdtModel central =
        GradientBoosting.fit(data.joined(), boosting, ENGINE, TrainingListener.NONE);
    double[] expected = central.rawScores(data.joined(), ENGINE);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], run.raw()[i], 1e-9, "row " + i);
    }
    double[] y = data.guest().labels();
    double[] p = new double[y.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = 1 / (1 + Math.exp(-run.raw()[i]));
    }
    double auc = Metrics.auc(y, p);
    assertTrue(auc > 0.98, "auc " + auc);

    // the host's part holds its thresholds, the guest's none of them
    assertTrue(!run.hosts().get(0).splits().isEmpty(), "the host splits some nodes");
    Set<String> hostFeatures = new HashSet<>(data.host().schema().featureNames());
    for (var s : run.hosts().get(0).splits()) {
      assertTrue(hostFeatures.contains(s.feature()), s.toString());
    }
    for (FederatedTree t : run.guest().trees()) {
      for (int k = 0; k < t.nodes(); k++) {
        if (t.owner()[k] == 10000) {
          assertTrue(t.threshold()[k] == 0 && t.feature()[k] < 0, "node " + k);
        }
      }
    }
    // what the host received: the key, ciphertexts, the instance space and control only
    for (var e : run.net().party(10000).transcript("job")) {
      assertTrue(
          List.of(
                  PayloadKind.PUBLIC_KEY,
                  PayloadKind.PAILLIER_CIPHERTEXTS,
                  PayloadKind.INSTANCE_SPACE,
                  PayloadKind.CONTROL)
              .contains(e.kind()),
          e.toString());
    }
  }

  /** Regression and two hosts (1024-bit test key: the key size changes the cost, not the sums). */
  @Test
  void studentRegressionWithTwoHosts_isTheCentralizedGbdt() throws Exception {
    VerticalSplit data = VerticalSplit.of("student");
    GbdtParams boosting = GbdtParams.defaults(GbdtParams.Loss.SQUARED).withTrees(4);
    Table host = data.host();
    int half = host.features() / 2;
    Table h1 = VerticalSplit.columns(host, 0, half);
    Table h2 = VerticalSplit.columns(host, half, host.features());
    Run run =
        run(
            data.guest(),
            List.of(h1, h2),
            SecureBoostParams.defaults(GbdtParams.Loss.SQUARED)
                .withBoosting(boosting)
                .withTestKey(1024));
    GbdtModel central =
        GradientBoosting.fit(data.joined(), boosting, ENGINE, TrainingListener.NONE);
    double[] expected = central.rawScores(data.joined(), ENGINE);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], run.raw()[i], 1e-6, "row " + i);
    }
    assertTrue(!run.hosts().get(0).splits().isEmpty() || !run.hosts().get(1).splits().isEmpty());
  }
}
