package io.federa.ml.secureboost;

/**
 * One SecureBoost tree as the guest holds it, node 0 the root: {@code owner[k]} is the party that
 * holds node {@code k}'s split (−1: a leaf with output {@code value[k]}). The guest's own splits
 * keep their feature and threshold here; a host's split is only its party id (feature −1, threshold
 * 0) — the feature and threshold stay at that host ({@link SecureBoostHostModel}).
 */
public record FederatedTree(
    int[] owner,
    int[] feature,
    double[] threshold,
    int[] left,
    int[] right,
    double[] value,
    double[] gain) {
  public FederatedTree {
    owner = owner.clone();
    feature = feature.clone();
    threshold = threshold.clone();
    left = left.clone();
    right = right.clone();
    value = value.clone();
    gain = gain.clone();
  }

  public int nodes() {
    return owner.length;
  }

  public boolean leaf(int node) {
    return owner[node] < 0;
  }
}
