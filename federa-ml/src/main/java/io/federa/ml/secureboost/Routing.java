package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.ml.Features;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SecureBoost's prediction when every host tells, in one answer, which way each of its splits sends
 * each row (online serving: one round trip per request instead of one per level): the host's
 * decisions ({@link #hostDecisions}), the guest's walk of every tree with them ({@link #leaves}),
 * and the leaves' sum ({@link #leafSums}), which the batch prediction shares. The guest learns the
 * host's decision at every host split for the rows asked, reached or not (FATE-Serving's trade).
 */
public final class Routing {
  private Routing() {}

  /**
   * A host's decisions for {@code rows} rows: split {@code k} is node {@code node[k]} of tree
   * {@code tree[k]}; bit {@code k·rows + i} is set when row {@code i} goes left there.
   */
  public record Decisions(int[] tree, int[] node, int rows, byte[] lefts) {
    boolean left(int split, int row) {
      int bit = split * rows + row;
      return bit / 8 < lefts.length && (lefts[bit / 8] & (1 << (bit % 8))) != 0;
    }
  }

  /** Which way each of this host's splits sends each of {@code rows} (its model's columns). */
  public static Decisions hostDecisions(SecureBoostHostModel model, Table rows) {
    double[][] columns = Features.columnsFor(rows, model.featureNames());
    List<SecureBoostHostModel.Split> splits = model.splits();
    int n = rows.rows();
    int[] tree = new int[splits.size()];
    int[] node = new int[splits.size()];
    BitSet left = new BitSet(splits.size() * n);
    for (int k = 0; k < splits.size(); k++) {
      var s = splits.get(k);
      tree[k] = s.tree();
      node[k] = s.node();
      double[] column = columns[model.featureNames().indexOf(s.feature())];
      for (int i = 0; i < n; i++) {
        if (s.goesLeft(column[i])) {
          left.set(k * n + i);
        }
      }
    }
    return new Decisions(tree, node, n, left.toByteArray());
  }

  /**
   * The leaf each row reaches in each tree ({@code [tree][row]}): the guest's own splits from its
   * columns of {@code rows}, a host's from its decisions (by party).
   */
  public static int[][] leaves(
      SecureBoostGuestModel model, int self, Table rows, Map<Integer, Decisions> hosts) {
    double[][] columns = Features.columnsFor(rows, model.featureNames());
    Map<Integer, Map<Long, Integer>> where = new HashMap<>();
    hosts.forEach(
        (party, d) -> {
          if (d.rows() != rows.rows()) {
            throw new FederaException(
                ErrorCode.PROTOCOL,
                "party " + party + " decided for " + d.rows() + " rows, not " + rows.rows());
          }
          Map<Long, Integer> index = new HashMap<>();
          for (int k = 0; k < d.tree().length; k++) {
            index.put(((long) d.tree()[k] << 32) | d.node()[k], k);
          }
          where.put(party, index);
        });
    List<FederatedTree> trees = model.trees();
    int[][] at = new int[trees.size()][rows.rows()];
    for (int t = 0; t < trees.size(); t++) {
      FederatedTree tree = trees.get(t);
      for (int i = 0; i < rows.rows(); i++) {
        int node = 0;
        while (!tree.leaf(node)) {
          int owner = tree.owner()[node];
          boolean left;
          if (owner == self) {
            left = tree.goesLeft(columns[tree.feature()[node]][i], node);
          } else {
            Integer k = where.getOrDefault(owner, Map.of()).get(((long) t << 32) | node);
            if (k == null) {
              throw new FederaException(
                  ErrorCode.PROTOCOL,
                  "party " + owner + " sent no decision for node " + node + " of tree " + t);
            }
            left = hosts.get(owner).left(k, i);
          }
          node = left ? tree.left()[node] : tree.right()[node];
        }
        at[t][i] = node;
      }
    }
    return at;
  }

  /**
   * Raw scores {@code [dimension][row]} of {@code n} rows: the initial scores (when {@code
   * fromTree} is 0) plus the leaves {@code at[tree][row]} reached in trees {@code fromTree} on.
   */
  public static double[][] leafSums(SecureBoostGuestModel model, int[][] at, int fromTree, int n) {
    List<FederatedTree> trees = model.trees();
    double[][] out = new double[model.dimensions()][n];
    for (int k = 0; k < model.dimensions() && fromTree == 0; k++) {
      java.util.Arrays.fill(out[k], model.initialScores()[k]);
    }
    for (int t = fromTree; t < trees.size(); t++) {
      FederatedTree tree = trees.get(t);
      for (int i = 0; i < n; i++) {
        io.federa.ml.tree.Tree.addLeaf(out, t, i, tree.value(), tree.nodes(), at[t][i]);
      }
    }
    return out;
  }
}
