package io.federa.ml.feature;

import java.util.List;

/**
 * One feature's binning as the guest knows it: its split points (null for a host's feature, whose
 * values the guest never sees), the rows per bin, and per event class the WOE and IV (binary
 * labels: one event, label 1; several classes: each class against the rest).
 */
public record FeatureBins(String feature, double[] splitPoints, long[] rows, List<WoeIv> perClass) {
  /** The feature's information value for class {@code k} (binary: k = 0). */
  public double iv(int k) {
    return perClass.get(k).iv();
  }

  /** From each bin's rows and its events of each class ({@code events[class][bin]}). */
  static FeatureBins of(
      String feature, double[] splitPoints, long[] rows, long[][] events, double adjustment) {
    List<WoeIv> perClass = new java.util.ArrayList<>();
    for (long[] e : events) {
      perClass.add(WoeIv.of(e, rows, adjustment));
    }
    return new FeatureBins(feature, splitPoints, rows, List.copyOf(perClass));
  }
}
