package io.federa.ml.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Table;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HeScheme;
import io.federa.federation.MessageKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * Hetero feature selection with a guest and two hosts over the in-process federation, chained
 * filters (manual, a statistic, a federated IV top-k, a federated IV threshold, a guest-only IV
 * threshold): each party keeps exactly the columns the same filters keep on the joined columns with
 * the centralized binning's IV.
 */
class HeteroSelectionTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ExecutorService PARTIES = io.federa.ml.PartyThreads.POOL;

  @Test
  void chainedFilters_keepWhatTheCentralizedFiltersKeep() throws Exception {
    Table joined = HeteroBinningTest.generated(3000, 12, 2, 11);
    Table guest = HeteroBinningTest.columns(joined, 0, 4, true);
    List<Table> hosts =
        List.of(
            HeteroBinningTest.columns(joined, 4, 8, false),
            HeteroBinningTest.columns(joined, 8, 12, false));
    BinningParams params =
        BinningParams.defaults().withKey(HeParameters.defaults().withScheme(HeScheme.OU));
    var binning = HeteroBinningTest.run(guest, hosts, params, PARTIES);
    var central = LocalBinning.fit(joined, Events.of(joined.labels()), params, ENGINE);

    // IV by the names each side knows: the guest's and host_<party>_<i>; centrally, the columns
    Map<String, Double> iv = new HashMap<>();
    binning.guest().guest().bins().forEach(b -> iv.put(b.feature(), b.iv(0)));
    binning.guest().hosts().values().forEach(l -> l.forEach(b -> iv.put(b.feature(), b.iv(0))));
    Map<String, Double> centralIv = new HashMap<>();
    central.bins().forEach(b -> centralIv.put(b.feature(), b.iv(0)));
    // a statistic of every column (here its mean), each party knowing its own
    Map<String, Map<String, Double>> stats = new HashMap<>();
    for (int f = 0; f < joined.features(); f++) {
      double sum = 0;
      int n = 0;
      for (double v : joined.column(f)) {
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      stats.put(joined.schema().featureNames().get(f), Map.of("mean", sum / n));
    }
    List<SelectionStep> steps =
        List.of(
            SelectionStep.manual(List.of("x1", "x6"), List.of()),
            SelectionStep.byValue("statistic", "mean", "threshold", 1.5, false, false),
            SelectionStep.byValue("iv", "iv", "top_k", 7, true, true),
            SelectionStep.byValue("iv", "iv", "threshold", 0.005, true, true),
            SelectionStep.byValue("iv", "iv", "top_percentile", 0.5, true, false));

    var net = binning.net();
    // a job of its own: each party object numbers its messages per job from 1 (replays are dropped)
    MessageKey key = MessageKey.of("selection", "hetero_feature_selection_0", "");
    List<CompletableFuture<List<String>>> hostKept = new ArrayList<>();
    for (int k = 0; k < hosts.size(); k++) {
      int id = 10000 + k;
      List<String> columns = hosts.get(k).schema().featureNames();
      var host = new HeteroSelectionHost(net.party(id), key, 9999, TIMEOUT);
      hostKept.add(
          CompletableFuture.supplyAsync(
              () -> host.select(columns, steps, columns, stats), PARTIES));
    }
    List<String> guestKept =
        new HeteroSelectionGuest(net.party(9999), key, List.of(10000, 10001), TIMEOUT)
            .select(guest.schema().featureNames(), steps, iv, stats);

    // centrally: the same filters on all 12 columns; the last (local) one on the guest's only
    List<String> all = new ArrayList<>(joined.schema().featureNames());
    for (int s = 0; s < steps.size() - 1; s++) {
      SelectionStep step = steps.get(s);
      List<String> local = step.applyLocal(all, centralIv, stats);
      all = local != null ? local : step.keep(all, centralIv);
    }
    List<String> guestCentral = new ArrayList<>(all);
    guestCentral.retainAll(guest.schema().featureNames());
    guestCentral = steps.get(steps.size() - 1).applyLocal(guestCentral, centralIv, stats);

    assertEquals(guestCentral, guestKept);
    for (int k = 0; k < hosts.size(); k++) {
      List<String> expected = new ArrayList<>(all);
      expected.retainAll(hosts.get(k).schema().featureNames());
      assertEquals(expected, hostKept.get(k).get(), "host " + k);
    }
    System.out.printf(
        "selection: guest keeps %s, hosts %s and %s of %s%n",
        guestKept, hostKept.get(0).get(), hostKept.get(1).get(), joined.schema().featureNames());
    assertNotEquals(
        12,
        guestKept.size() + hostKept.get(0).get().size() + hostKept.get(1).get().size(),
        "the filters dropped columns");
  }
}
