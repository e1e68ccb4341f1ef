package io.federa.ml.secureboost;

/**
 * One SecureBoost tree as the guest holds it, node 0 the root: {@code owner[k]} is the party that
 * holds node {@code k}'s split (−1: a leaf with output {@code value[k]}). The guest's own splits
 * keep their feature and threshold here; a host's split is only its party id (feature −1, threshold
 * 0) — the feature and threshold stay at that host ({@link SecureBoostHostModel}). A multi-output
 * tree's leaf holds a value per class, {@code value[k·K + c]} (see {@link
 * io.federa.ml.tree.Tree#addLeaf}). At the guest's own nodes a row missing the feature goes left if
 * {@code missingLeft[k]} (null in models saved before missing values: right).
 */
public record FederatedTree(
    int[] owner,
    int[] feature,
    double[] threshold,
    int[] left,
    int[] right,
    double[] value,
    double[] gain,
    boolean[] missingLeft) {
  public FederatedTree {
    owner = owner.clone();
    feature = feature.clone();
    threshold = threshold.clone();
    left = left.clone();
    right = right.clone();
    value = value.clone();
    gain = gain.clone();
    missingLeft = missingLeft == null ? new boolean[owner.length] : missingLeft.clone();
  }

  public int nodes() {
    return owner.length;
  }

  public boolean leaf(int node) {
    return owner[node] < 0;
  }

  /** Whether value {@code x} (NaN: missing) goes left at the guest's own node {@code node}. */
  public boolean goesLeft(double x, int node) {
    return Double.isNaN(x) ? missingLeft[node] : x <= threshold[node];
  }
}
