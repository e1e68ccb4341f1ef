package io.federa.ml.tree;

/**
 * A binary regression tree stored as parallel arrays; node 0 is the root. An inner node sends a row
 * left when {@code x[feature] ≤ threshold}, and a row missing the feature (NaN) left when {@code
 * missingLeft[node]} (null: every missing row goes right, as in trees grown without missing
 * values); a leaf ({@code feature = -1}) holds its output value.
 */
public record Tree(
    int[] feature,
    double[] threshold,
    int[] left,
    int[] right,
    double[] value,
    boolean[] missingLeft) {
  public Tree {
    feature = feature.clone();
    threshold = threshold.clone();
    left = left.clone();
    right = right.clone();
    value = value.clone();
    missingLeft = missingLeft == null ? new boolean[feature.length] : missingLeft.clone();
  }

  /** A tree grown without missing values. */
  public Tree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
    this(feature, threshold, left, right, value, null);
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
      node = goesLeft(columns[feature[node]][i], node) ? left[node] : right[node];
    }
    return value[node];
  }

  /** Whether value {@code x} (NaN: missing) goes left at inner node {@code node}. */
  public boolean goesLeft(double x, int node) {
    return Double.isNaN(x) ? missingLeft[node] : x <= threshold[node];
  }
}
