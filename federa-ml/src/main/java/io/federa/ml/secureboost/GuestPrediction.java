package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.federation.Federation;
import io.federa.federation.PayloadKind;
import io.federa.ml.Features;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The guest's side of SecureBoost prediction (in predict jobs, cross-validation and validation
 * during training; the hosts run {@link SecureBoostHost#predict} under the same name): the guest
 * walks each tree, resolving its own nodes itself and asking the hosts, one round per level for all
 * trees at once, which way their nodes send the rows. A host learns which rows reach its nodes.
 */
final class GuestPrediction {
  private final Federation federation;
  private final SecureBoostMessages messages;
  private final List<Integer> hosts;
  private final Duration timeout;

  GuestPrediction(
      Federation federation, SecureBoostMessages messages, List<Integer> hosts, Duration timeout) {
    this.federation = federation;
    this.messages = messages;
    this.hosts = hosts;
    this.timeout = timeout;
  }

  /**
   * Raw scores {@code [dimension][row]} of {@code data}'s rows through trees {@code fromTree} on
   * (the initial scores only when {@code fromTree} is 0: validation adds each round's trees).
   */
  double[][] rawScores(SecureBoostGuestModel model, Table data, String name, int fromTree) {
    double[][] columns = Features.columnsFor(data, model.featureNames());
    int n = data.rows();
    List<FederatedTree> trees = model.trees();
    int[][] at = new int[trees.size()][n];
    for (int r = 0; ; r++) {
      List<List<int[]>> asks = new ArrayList<>();
      for (int k = 0; k < hosts.size(); k++) {
        asks.add(new ArrayList<>());
      }
      for (int t = fromTree; t < trees.size(); t++) {
        FederatedTree tree = trees.get(t);
        for (int i = 0; i < n; i++) {
          int node = at[t][i];
          while (!tree.leaf(node) && tree.owner()[node] == federation.self()) {
            node =
                tree.goesLeft(columns[tree.feature()[node]][i], node)
                    ? tree.left()[node]
                    : tree.right()[node];
          }
          at[t][i] = node;
          if (!tree.leaf(node)) {
            int host = hosts.indexOf(tree.owner()[node]);
            if (host < 0) {
              throw new FederaException(
                  ErrorCode.INVALID_ARGUMENT,
                  "tree "
                      + t
                      + " has a split at party "
                      + tree.owner()[node]
                      + ", which is not a host of this prediction");
            }
            asks.get(host).add(new int[] {t, node, i});
          }
        }
      }
      boolean done = asks.stream().allMatch(List::isEmpty);
      for (int k = 0; k < hosts.size(); k++) {
        List<int[]> a = asks.get(k);
        var q =
            new SecureBoostMessages.Query(
                done,
                a.stream().mapToInt(x -> x[0]).toArray(),
                a.stream().mapToInt(x -> x[1]).toArray(),
                a.stream().mapToInt(x -> x[2]).toArray());
        federation.send(
            hosts.get(k), messages.query(name, r), q.encode(), PayloadKind.INSTANCE_SPACE);
      }
      if (done) {
        break;
      }
      for (int k = 0; k < hosts.size(); k++) {
        List<int[]> a = asks.get(k);
        if (a.isEmpty()) {
          continue;
        }
        BitSet left =
            SecureBoostMessages.Lefts.decode(
                    federation.receive(hosts.get(k), messages.answer(name, r), timeout))
                .left()[0];
        for (int j = 0; j < a.size(); j++) {
          int[] x = a.get(j);
          FederatedTree tree = trees.get(x[0]);
          at[x[0]][x[2]] = left.get(j) ? tree.left()[x[1]] : tree.right()[x[1]];
        }
      }
    }
    return Routing.leafSums(model, at, fromTree, n);
  }
}
