package io.federa.ml.hetero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.ml.ShippedData;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hetero LR with guest, host and arbiter as threads (in-process federation), against centralized LR
 * on the joined data. 1024-bit keys keep the parameterised runs quick; the 2048-bit run is the real
 * path.
 */
class HeteroLrTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  record Result(double federatedAuc, double centralizedAuc, List<Double> losses) {}

  /** Guest and host rows aligned as PSI would (the guest's order, ids both hold), and the join. */
  record Aligned(Table guest, Table host, Table joined) {
    static Aligned of(String name) {
      Table guestAll =
          CsvTableReader.read(
              ShippedData.dir().resolve(name + "_hetero_guest.csv"), CsvOptions.labeled());
      Table hostAll =
          CsvTableReader.read(
              ShippedData.dir().resolve(name + "_hetero_host.csv"), CsvOptions.unlabeled());
      Table joined = Tables.innerJoin(guestAll, hostAll, "host_");
      return new Aligned(
          guestAll.selectRows(joinedRows(guestAll, joined)),
          hostAll.selectRows(joinedRows(hostAll, joined)),
          joined);
    }

    double centralizedAuc() {
      var central =
          LogisticRegression.fit(
              joined, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
      return Metrics.auc(
          joined.labels(), LogisticRegression.predictProbability(central, joined, ENGINE));
    }
  }

  static Result run(String name, HeteroLrParams params) throws Exception {
    Aligned data = Aligned.of(name);
    Table guest = data.guest();
    Table host = data.host();

    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job-" + name, "hetero_lr_0", "");
    var arbiter = new HeteroLrArbiter(net.party(10001), key, 9999, List.of(10000), params);
    var hostSide = new HeteroLrHost(net.party(10000), key, 9999, 10001, params, ENGINE);
    var guestSide = new HeteroLrGuest(net.party(9999), key, List.of(10000), 10001, params, ENGINE);
    var parties = java.util.concurrent.Executors.newFixedThreadPool(2);
    var losses = CompletableFuture.supplyAsync(() -> arbiter.fit(TrainingListener.NONE), parties);
    var hostWeights = CompletableFuture.supplyAsync(() -> hostSide.fit(host), parties);
    parties.shutdown();
    hostWeights.exceptionally(
        e -> {
          e.printStackTrace();
          return null;
        });
    HeteroLrGuest.Model model = guestSide.fit(guest);
    double[] wh = hostWeights.get();
    hostSide.predict(host, wh, "train");
    double[] p = guestSide.predict(guest, model, "train");
    double federated = Metrics.auc(guest.labels(), p);
    return new Result(federated, data.centralizedAuc(), losses.get());
  }

  private static int[] joinedRows(Table all, Table joined) {
    var index = all.indexById();
    int[] rows = new int[joined.rows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = index.get(joined.id(i));
    }
    return rows;
  }

  @Test
  void fit_onBreastWith2048BitKeys_matchesCentralizedAuc() throws Exception {
    Result r = run("breast", HeteroLrParams.defaults());
    System.out.println("hetero LR on breast, 2048-bit keys: " + r);
    assertEquals(r.centralizedAuc(), r.federatedAuc(), 0.01, r.toString());
    assertTrue(r.losses().get(r.losses().size() - 1) < r.losses().get(0), r.losses().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "ADAM"})
  void fit_onBreastWithEitherOptimizer_matchesCentralizedAuc(String optimizer) throws Exception {
    var d = HeteroLrParams.defaults();
    var params =
        new HeteroLrParams(
            40,
            optimizer.equals("SGD") ? 0.3 : 0.15,
            0,
            d.alpha(),
            d.tol(),
            HeteroLrParams.Optimizer.valueOf(optimizer),
            1024,
            true,
            d.timeout());
    Result r = run("breast", params);
    assertEquals(r.centralizedAuc(), r.federatedAuc(), 0.01, r.toString());
  }

  @Test
  void fit_withTwoHosts_matchesCentralizedAuc() throws Exception {
    Aligned data = Aligned.of("breast");
    Table guest = data.guest();
    Table host = data.host();
    // the host's 20 features split between two hosts of 10
    Table host1 = columns(host, 0, 10);
    Table host2 = columns(host, 10, 20);
    var params = HeteroLrParams.defaults().withKeyBits(1024, true);
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job-2h", "hetero_lr_0", "");
    var arbiter = new HeteroLrArbiter(net.party(10001), key, 9999, List.of(10000, 10002), params);
    var h1 = new HeteroLrHost(net.party(10000), key, 9999, 10001, params, ENGINE);
    var h2 = new HeteroLrHost(net.party(10002), key, 9999, 10001, params, ENGINE);
    var g = new HeteroLrGuest(net.party(9999), key, List.of(10000, 10002), 10001, params, ENGINE);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    var a = CompletableFuture.supplyAsync(() -> arbiter.fit(TrainingListener.NONE), pool);
    var w1 = CompletableFuture.supplyAsync(() -> h1.fit(host1), pool);
    var w2 = CompletableFuture.supplyAsync(() -> h2.fit(host2), pool);
    pool.shutdown();
    HeteroLrGuest.Model model = g.fit(guest);
    h1.predict(host1, w1.get(), "train");
    h2.predict(host2, w2.get(), "train");
    double federated = Metrics.auc(guest.labels(), g.predict(guest, model, "train"));
    assertEquals(data.centralizedAuc(), federated, 0.01);
    assertTrue(a.get().size() >= 2);
  }

  private static Table columns(Table t, int from, int to) {
    double[][] cols = new double[to - from][];
    for (int j = from; j < to; j++) {
      cols[j - from] = t.column(j);
    }
    var schema =
        new io.federa.core.table.Schema(
            t.schema().idName(), null, t.schema().featureNames().subList(from, to));
    return new Table(schema, t.ids(), null, cols);
  }
}
