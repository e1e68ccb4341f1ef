package io.federa.ml.feature;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Binning where the labels are: the guest's own features, and the centralized computation the
 * federated one is checked against. {@link #finish} also turns the decrypted counts of a host's
 * features into their WOE and IV, so guest, hosts and the centralized run share one computation.
 */
public final class LocalBinning {
  private LocalBinning() {}

  /** The edges fitted and each feature's bins. */
  public record Fitted(BinEdges edges, List<FeatureBins> bins) {}

  /** What the counts give: per feature its kept fine edges (optimal method) and its bins. */
  record Finished(long[][] kept, List<FeatureBins> bins) {}

  /** Bins every feature of {@code table} (labels in {@code events}) as {@code params} says. */
  public static Fitted fit(Table table, Events events, BinningParams params, ComputingEngine e) {
    BinEdges first = params.firstEdges(table, e);
    short[][] bins = first.transform(table, e);
    Finished done =
        finish(
            table.schema().featureNames(),
            first.splitPoints(),
            first.missingBin(),
            first.counts(bins),
            events.count(first, bins),
            params);
    double[][] points = new double[first.features()][];
    for (int f = 0; f < points.length; f++) {
      points[f] = done.bins().get(f).splitPoints();
    }
    return new Fitted(new BinEdges(points, first.missingBin().clone()), done.bins());
  }

  /**
   * WOE and IV of each feature from its rows and events per first bin ({@code points[f]} null: a
   * host's feature, whose points the guest does not know), the optimal method's merge first.
   */
  static Finished finish(
      List<String> names,
      double[][] points,
      boolean[] missing,
      long[][] rows,
      long[][][] events,
      BinningParams params) {
    int features = names.size();
    long[][] kept = new long[features][];
    List<FeatureBins> out = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      long[] r = rows[f];
      long[][] ev = events[f];
      double[] p = points[f];
      if (params.method().equals("optimal")) {
        int regular = r.length - (missing[f] ? 1 : 0);
        long[][] regularEvents = new long[ev.length][];
        for (int k = 0; k < ev.length; k++) {
          regularEvents[k] = java.util.Arrays.copyOf(ev[k], regular);
        }
        kept[f] =
            ChiMerge.keptEdges(
                java.util.Arrays.copyOf(r, regular),
                regularEvents,
                params.binNum(),
                params.minBinPct());
        r = ChiMerge.merge(r, regular, kept[f]);
        long[][] merged = new long[ev.length][];
        for (int k = 0; k < ev.length; k++) {
          merged[k] = ChiMerge.merge(ev[k], regular, kept[f]);
        }
        ev = merged;
        p = p == null ? null : ChiMerge.points(p, kept[f]);
      }
      out.add(FeatureBins.of(names.get(f), p, r, ev, params.adjustment()));
    }
    return new Finished(kept, out);
  }
}
