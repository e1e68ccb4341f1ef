package io.federa.ml.secureboost;

import io.federa.ml.tree.GbdtParams;
import java.util.List;

/**
 * The guest's part of a SecureBoost model: the loss, the initial scores, its own feature names and
 * every tree (leaf values and its own splits; hosts' splits by party only). With the softmax there
 * is one score per class, tree {@code t} adding to class {@code t mod K}.
 *
 * @param initialScores where each dimension's score starts (one value unless softmax)
 * @param classes the softmax's classes in ascending order; null for the other losses
 */
public record SecureBoostGuestModel(
    GbdtParams.Loss loss,
    double[] initialScores,
    List<String> featureNames,
    List<FederatedTree> trees,
    double[] classes) {
  public SecureBoostGuestModel {
    featureNames = List.copyOf(featureNames);
    trees = List.copyOf(trees);
    initialScores = initialScores.clone();
    classes = classes == null ? null : classes.clone();
  }

  /** Scores per row: one, or one per class. */
  public int dimensions() {
    return initialScores.length;
  }

  /**
   * Feature importance as the guest can know it: each of its own features, and each host as a whole
   * (the guest does not know a host's features), with the number of nodes it splits and the sum of
   * their gains. Sorted by gain, largest first.
   */
  public List<Importance> importance(int guest) {
    java.util.Map<String, double[]> by = new java.util.LinkedHashMap<>();
    for (FederatedTree t : trees) {
      for (int k = 0; k < t.nodes(); k++) {
        if (t.leaf(k)) {
          continue;
        }
        String name =
            t.owner()[k] == guest ? featureNames.get(t.feature()[k]) : "party_" + t.owner()[k];
        double[] acc = by.computeIfAbsent(name, n -> new double[2]);
        acc[0]++;
        acc[1] += t.gain()[k];
      }
    }
    List<Importance> out = new java.util.ArrayList<>();
    by.forEach((name, acc) -> out.add(new Importance(name, (int) acc[0], acc[1])));
    out.sort(java.util.Comparator.comparingDouble(Importance::gain).reversed());
    return out;
  }

  /** A feature's (or a host's) splits and their total gain. */
  public record Importance(String name, int splits, double gain) {}
}
