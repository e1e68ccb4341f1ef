package io.federa.ml.tree;

/**
 * A binary regression tree stored as parallel arrays; node 0 is the root. An inner node sends a row
 * left when {@code x[feature] ≤ threshold}, and a row missing the feature (NaN) left when {@code
 * missingLeft[node]} (null: every missing row goes right, as in trees grown without missing
 * values); a leaf ({@code feature = -1}) holds its output value — or, in a multi-output tree, its
 * {@link #outputs} values at {@code value[node·outputs + o]}.
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

  /** Values per leaf: 1, or the number of classes of a multi-output tree. */
  public int outputs() {
    return value.length / feature.length;
  }

  /** Leaf values in node order, {@code values[node]} of each node, flattened. */
  public static double[] flatten(java.util.List<double[]> values) {
    int per = values.get(0).length;
    double[] out = new double[values.size() * per];
    for (int k = 0; k < values.size(); k++) {
      System.arraycopy(values.get(k), 0, out, k * per, per);
    }
    return out;
  }

  public int leaves() {
    int n = 0;
    for (int f : feature) {
      n += f < 0 ? 1 : 0;
    }
    return n;
  }

  /** Output for the row {@code i} of column-major features (a one-output tree). */
  public double predict(double[][] columns, int i) {
    return value[leaf(columns, i)];
  }

  /** The leaf the row {@code i} of column-major features falls into. */
  public int leaf(double[][] columns, int i) {
    int node = 0;
    while (feature[node] >= 0) {
      node = goesLeft(columns[feature[node]][i], node) ? left[node] : right[node];
    }
    return node;
  }

  /**
   * Adds tree {@code t}'s output at leaf {@code leaf} to row {@code i}'s scores {@code
   * scores[dimension][row]}: every dimension's from a multi-output tree's leaf, else the one value
   * to dimension {@code t mod K} (one tree per class per round).
   */
  public static void addLeaf(double[][] scores, int t, int i, double[] value, int nodes, int leaf) {
    int outputs = value.length / nodes;
    if (outputs == 1) {
      scores[t % scores.length][i] += value[leaf];
      return;
    }
    for (int o = 0; o < outputs; o++) {
      scores[o][i] += value[leaf * outputs + o];
    }
  }

  /** Whether value {@code x} (NaN: missing) goes left at inner node {@code node}. */
  public boolean goesLeft(double x, int node) {
    return Double.isNaN(x) ? missingLeft[node] : x <= threshold[node];
  }
}
