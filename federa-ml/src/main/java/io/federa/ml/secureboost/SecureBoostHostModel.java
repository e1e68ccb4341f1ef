package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's part of a SecureBoost model: the features it trained on and, for every node it splits,
 * the feature and threshold (a row goes left when its value is ≤ the threshold). Nothing of the
 * guest's is in it.
 */
public record SecureBoostHostModel(List<String> featureNames, List<Split> splits) {
  /**
   * The split of node {@code node} of tree {@code tree}: a row goes left when its value is ≤ {@code
   * threshold}, or, missing it, when {@code missingLeft}.
   */
  public record Split(int tree, int node, String feature, double threshold, boolean missingLeft) {
    /** A split trained without missing values (they go right). */
    public Split(int tree, int node, String feature, double threshold) {
      this(tree, node, feature, threshold, false);
    }

    /** Whether value {@code x} (NaN: missing) goes left. */
    public boolean goesLeft(double x) {
      return Double.isNaN(x) ? missingLeft : x <= threshold;
    }
  }

  public SecureBoostHostModel {
    featureNames = List.copyOf(featureNames);
    splits = List.copyOf(splits);
  }

  /** How many nodes each of this host's features splits (its feature importance), largest first. */
  public java.util.LinkedHashMap<String, Integer> splitCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (Split s : splits) {
      counts.merge(s.feature(), 1, Integer::sum);
    }
    var out = new java.util.LinkedHashMap<String, Integer>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The splits by tree and node. */
  Map<Long, Split> index() {
    Map<Long, Split> out = new HashMap<>();
    for (Split s : splits) {
      out.put(key(s.tree(), s.node()), s);
    }
    return out;
  }

  static long key(int tree, int node) {
    return ((long) tree << 32) | (node & 0xffffffffL);
  }

  static Split require(Map<Long, Split> index, int tree, int node) {
    Split s = index.get(key(tree, node));
    if (s == null) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest asked about node "
              + node
              + " of tree "
              + tree
              + ", which this host does not split; are both parts of the same model version?");
    }
    return s;
  }
}
