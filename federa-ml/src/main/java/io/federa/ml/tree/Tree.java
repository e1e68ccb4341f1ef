package io.federa.ml.tree;

/**
 * A binary regression tree stored as parallel arrays; node 0 is the root. An inner node sends a row
 * left when {@code x[feature] ≤ threshold}; a leaf ({@code feature = -1}) holds its output value.
 */
public record Tree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
  public Tree {
    feature = feature.clone();
    threshold = threshold.clone();
    left = left.clone();
    right = right.clone();
    value = value.clone();
  }

  public int nodes() {
    return feature.length;
  }

  public int leaves() {
    int n = 0;
    for (int f : feature) {
      n += f < 0 ? 1 : 0;
    }
    return n;
  }

  /** Output for the row {@code i} of column-major features. */
  public double predict(double[][] columns, int i) {
    int node = 0;
    while (feature[node] >= 0) {
      node = columns[feature[node]][i] <= threshold[node] ? left[node] : right[node];
    }
    return value[node];
  }
}
