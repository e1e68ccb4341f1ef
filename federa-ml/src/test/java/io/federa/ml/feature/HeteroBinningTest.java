package io.federa.ml.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HeScheme;
import io.federa.federation.InProcessFederation;
import io.federa.federation.MessageKey;
import io.federa.federation.PayloadKind;
import io.federa.ml.VerticalSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hetero feature binning with guest and hosts as threads over the in-process federation, against
 * the centralized binning of the joined rows: the same edges, and WOE and IV to 1e-9. Every run
 * uses a real 2048-bit key.
 */
class HeteroBinningTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final ExecutorService PARTIES = io.federa.ml.PartyThreads.POOL;

  record Run(
      HeteroBinningGuest.Result guest, List<BinEdges> hosts, InProcessFederation.Network net) {}

  static Run run(Table guest, List<Table> hosts, BinningParams params) throws Exception {
    return run(guest, hosts, params, PARTIES);
  }

  /** As {@link #run(Table, List, BinningParams)}, the hosts on {@code parties}. */
  static Run run(Table guest, List<Table> hosts, BinningParams params, ExecutorService parties)
      throws Exception {
    var net = InProcessFederation.network();
    MessageKey key = MessageKey.of("job", "hetero_feature_binning_0", "");
    List<Integer> ids = new ArrayList<>();
    List<CompletableFuture<BinEdges>> sides = new ArrayList<>();
    for (int k = 0; k < hosts.size(); k++) {
      int id = 10000 + k;
      ids.add(id);
      var host = new HeteroBinningHost(net.party(id), key, 9999, params, ENGINE);
      Table table = hosts.get(k);
      sides.add(CompletableFuture.supplyAsync(() -> host.fit(table), parties));
    }
    var result = new HeteroBinningGuest(net.party(9999), key, ids, params, ENGINE).fit(guest);
    List<BinEdges> edges = new ArrayList<>();
    for (var s : sides) {
      edges.add(s.get());
    }
    return new Run(result, edges, net);
  }

  /** FATE's formulas by hand on three bins, one without events (adjusted by 0.5). */
  @Test
  void woeAndIv_knownAnswer() {
    WoeIv w = WoeIv.of(new long[] {2, 0, 3}, new long[] {5, 4, 5}, 0.5);
    double[] woe = {
      Math.log((2 / 5.0) / (3 / 9.0)), Math.log(0.1 / 0.5), Math.log(0.6 / (2 / 9.0))
    };
    double[] iv = {(2 / 5.0 - 3 / 9.0) * woe[0], (0.1 - 0.5) * woe[1], (0.6 - 2 / 9.0) * woe[2]};
    assertArrayEquals(woe, w.woe(), 1e-12);
    assertArrayEquals(iv, w.ivs(), 1e-12);
    assertEquals(iv[0] + iv[1] + iv[2], w.iv(), 1e-12);
    assertArrayEquals(new long[] {3, 4, 2}, w.nonEvents());
  }

  /**
   * default_credit (30,000 rows) under a 2048-bit key of each scheme: the host's edges and every
   * feature's WOE and IV are the centralized binning's.
   */
  @ParameterizedTest
  @EnumSource(HeScheme.class)
  void defaultCredit_isTheCentralizedBinning(HeScheme scheme) throws Exception {
    VerticalSplit data = VerticalSplit.of("default_credit");
    BinningParams params =
        BinningParams.defaults().withKey(HeParameters.defaults().withScheme(scheme));
    Run run = run(data.guest(), List.of(data.host()), params);
    var central =
        LocalBinning.fit(data.joined(), Events.of(data.joined().labels()), params, ENGINE);
    assertSame(central, data.guest().features(), run, List.of(data.host().features()));
    System.out.printf(
        "binning default_credit (%s): IV of %s %.4f, of host_10000_0 %.4f%n",
        scheme,
        central.bins().get(0).feature(),
        central.bins().get(0).iv(0),
        run.guest().hosts().get(10000).get(0).iv(0));
    // what the host received: the key, the encrypted labels and control only
    for (var e : run.net().party(10000).transcript("job")) {
      assertTrue(
          List.of(PayloadKind.PUBLIC_KEY, PayloadKind.HE_CIPHERTEXTS, PayloadKind.CONTROL)
              .contains(e.kind()),
          e.toString());
    }
  }

  /**
   * Generated rows with missing values at both hosts and three classes (one-vs-rest IV), each
   * method: the same edges and WOE/IV as the centralized binning.
   */
  @ParameterizedTest
  @ValueSource(strings = {"quantile", "bucket", "optimal"})
  void missingValuesAndThreeClasses_twoHosts_isTheCentralizedBinning(String method)
      throws Exception {
    Table joined = generated(3000, 9, 3, 7);
    Table guest = columns(joined, 0, 3, true);
    List<Table> hosts = List.of(columns(joined, 3, 6, false), columns(joined, 6, 9, false));
    BinningParams params =
        BinningParams.defaults()
            .withMethod(method, method.equals("optimal") ? 6 : 12)
            .withKey(HeParameters.defaults().withScheme(HeScheme.OU));
    Run run = run(guest, hosts, params);
    var central = LocalBinning.fit(joined, Events.of(joined.labels()), params, ENGINE);
    assertSame(central, 3, run, List.of(3, 3));
    assertEquals(3, central.bins().get(0).perClass().size());
    assertTrue(central.edges().missingBin()[3], "a host feature with missing values");
    if (method.equals("optimal")) {
      // FATE's 1,000 initial bins: more than one byte's worth, summed 256 bins per pass
      assertEquals(1000, params.initBins());
      assertTrue(params.firstEdges(hosts.get(0), ENGINE).bins(0) > 256);
      for (var b : central.bins()) {
        assertTrue(b.rows().length <= 6 + 1, b.feature() + " merged to at most 6 bins");
      }
    }
  }

  /** The federated bins equal the centralized ones: guest's first, then each host's in order. */
  private static void assertSame(
      LocalBinning.Fitted central, int guestFeatures, Run run, List<Integer> hostFeatures) {
    List<FeatureBins> federated = new ArrayList<>(run.guest().guest().bins());
    List<double[]> points = new ArrayList<>(List.of(run.guest().guest().edges().splitPoints()));
    int k = 0;
    for (var e : run.guest().hosts().entrySet()) {
      assertEquals(hostFeatures.get(k), e.getValue().size());
      federated.addAll(e.getValue());
      points.addAll(List.of(run.hosts().get(k).splitPoints()));
      k++;
    }
    assertEquals(central.bins().size(), federated.size());
    for (int f = 0; f < federated.size(); f++) {
      FeatureBins c = central.bins().get(f);
      FeatureBins x = federated.get(f);
      String where = "feature " + f + " (" + c.feature() + " / " + x.feature() + ")";
      assertArrayEquals(central.edges().splitPoints()[f], points.get(f), where);
      assertArrayEquals(c.rows(), x.rows(), where);
      for (int m = 0; m < c.perClass().size(); m++) {
        assertArrayEquals(c.perClass().get(m).events(), x.perClass().get(m).events(), where);
        assertArrayEquals(c.perClass().get(m).woe(), x.perClass().get(m).woe(), 1e-9, where);
        assertEquals(c.iv(m), x.iv(m), 1e-9, where);
      }
    }
    assertTrue(guestFeatures < federated.size());
  }

  /** Seeded rows: labels 0..classes−1 from the first features, 10 % missing in odd columns. */
  static Table generated(int n, int features, int classes, long seed) {
    Random r = new Random(seed);
    double[][] cols = new double[features][n];
    double[] labels = new double[n];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "id" + i;
      double score = 0;
      for (int f = 0; f < features; f++) {
        double v = Math.round(r.nextGaussian() * 1000) / 100.0; // ties, as real data has
        score += v * (f % 3 == 0 ? 1 : -0.5);
        cols[f][i] = f % 2 == 1 && r.nextDouble() < 0.1 ? Double.NaN : v;
      }
      labels[i] = Math.floorMod((int) Math.floor(score / 8), classes);
    }
    List<String> names = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      names.add("x" + f);
    }
    return new Table(new Schema("id", "y", names), ids, labels, cols);
  }

  static Table columns(Table t, int from, int to, boolean label) {
    return io.federa.core.table.Tables.columns(t, from, to, label);
  }
}
