package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.PackingScheme;
import io.federa.federation.Federation;
import io.federa.federation.PayloadKind;
import io.federa.ml.tree.QuantileBinning;
import io.federa.ml.tree.SplitMath;
import io.federa.ml.tree.SplitSearch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** The guest growing one tree with the hosts, level by level; see {@link SecureBoostGuest}. */
final class GuestTreeGrower {
  private final Federation federation;
  private final SecureBoostMessages messages;
  private final List<Integer> hosts;
  private final SecureBoostParams params;
  private final ComputingEngine engine;
  private final HeKeyPair keys;
  private final PackingScheme scheme;
  private final GradientSlots slots;
  private final QuantileBinning binning;
  private final boolean[] usable; // this tree's features (null: all), FeatureSampling
  private final byte[][] bins;
  private final int stride;
  private final double[][] g; // [output][row]: one output, or every class's (multi-output)
  private final double[][] h;
  private final int outputs;

  private final List<Integer> owner = new ArrayList<>();
  private final List<Integer> feature = new ArrayList<>();
  private final List<Double> threshold = new ArrayList<>();
  private final List<Boolean> missingLeft = new ArrayList<>();
  private final List<Integer> left = new ArrayList<>();
  private final List<Integer> right = new ArrayList<>();
  private final List<double[]> value = new ArrayList<>();
  private final List<Double> gain = new ArrayList<>();
  private int decrypted;

  GuestTreeGrower(
      Federation federation,
      SecureBoostMessages messages,
      List<Integer> hosts,
      SecureBoostParams params,
      ComputingEngine engine,
      HeKeyPair keys,
      PackingScheme scheme,
      GradientSlots slots,
      QuantileBinning binning,
      byte[][] bins,
      boolean[] usable,
      double[][] g,
      double[][] h) {
    this.usable = usable;
    this.federation = federation;
    this.messages = messages;
    this.hosts = hosts;
    this.params = params;
    this.engine = engine;
    this.keys = keys;
    this.scheme = scheme;
    this.slots = slots;
    this.binning = binning;
    this.bins = bins;
    this.stride = SplitSearch.stride(binning);
    this.g = g;
    this.h = h;
    this.outputs = g.length;
  }

  /** How many ciphertexts the guest decrypted for this tree. */
  int decrypted() {
    return decrypted;
  }

  /** An open node, its rows (ascending), and its parent and sibling (−1 for the root). */
  private record Open(int node, int[] rows, int parent, int sibling) {}

  /**
   * A node's choice: the guest's split, or host {@code host}'s split {@code sid}, with its gain (a
   * leaf has none).
   */
  private record Choice(SplitSearch.Split own, int host, int sid, double gain) {}

  /**
   * Grows tree {@code t}, adding its outputs to {@code raw} ({@code [output][row]}) for the
   * training rows.
   */
  FederatedTree grow(int t, double[][] raw) {
    int[] all = new int[g[0].length];
    Arrays.setAll(all, i -> i);
    List<Open> level = List.of(new Open(newNode(), all, -1, -1));
    int maxDepth = params.boosting().maxDepth();
    for (int d = 0; d <= maxDepth; d++) {
      if (d == maxDepth) {
        level.forEach(o -> leaf(o, raw));
        break;
      }
      SecureBoostMessages.Plan plan = plan(level);
      for (int host : hosts) {
        federation.send(host, messages.plan(t, d), plan.encode(), PayloadKind.INSTANCE_SPACE);
      }
      if (level.isEmpty()) {
        break;
      }
      level = split(t, d, level, raw);
    }
    return new FederatedTree(
        owner.stream().mapToInt(Integer::intValue).toArray(),
        feature.stream().mapToInt(Integer::intValue).toArray(),
        threshold.stream().mapToDouble(Double::doubleValue).toArray(),
        left.stream().mapToInt(Integer::intValue).toArray(),
        right.stream().mapToInt(Integer::intValue).toArray(),
        io.federa.ml.tree.Tree.flatten(value),
        gain.stream().mapToDouble(Double::doubleValue).toArray(),
        missing());
  }

  private boolean[] missing() {
    boolean[] out = new boolean[missingLeft.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = missingLeft.get(k);
    }
    return out;
  }

  /** Siblings in pairs, the smaller first: it is summed, the larger derived from the parent. */
  private static List<Open> planOrder(List<Open> level) {
    List<Open> out = new ArrayList<>();
    for (int k = 0; k < level.size(); k++) {
      Open o = level.get(k);
      if (o.parent() < 0) {
        out.add(o);
        continue;
      }
      Open sib = level.get(k + 1);
      k++;
      boolean first = o.rows().length <= sib.rows().length;
      Open small = first ? o : sib;
      Open large = first ? sib : o;
      out.add(new Open(small.node(), small.rows(), -1, -1));
      out.add(new Open(large.node(), large.rows(), large.parent(), small.node()));
    }
    return out;
  }

  private SecureBoostMessages.Plan plan(List<Open> level) {
    List<Open> order = planOrder(level);
    int[] nodeOfRow = new int[g[0].length];
    Arrays.fill(nodeOfRow, -1);
    int[] nodes = new int[order.size()];
    int[] parent = new int[order.size()];
    int[] sibling = new int[order.size()];
    for (int k = 0; k < order.size(); k++) {
      Open o = order.get(k);
      for (int i : o.rows()) {
        // a row out of this tree's bag (RowSampling: h = 0) is routed but not summed
        nodeOfRow[i] = h[0][i] != 0 ? o.node() : -2 - o.node();
      }
      nodes[k] = o.node();
      parent[k] = o.parent();
      sibling[k] = o.sibling();
    }
    return new SecureBoostMessages.Plan(nodeOfRow, nodes, parent, sibling);
  }

  /**
   * One level: every party's candidates, the best per node, the next level's open nodes. The hosts
   * answer in plan order; new nodes are numbered in the level's own order, as the centralized GBDT
   * numbers them.
   */
  private List<Open> split(int t, int d, List<Open> level, double[][] raw) {
    List<Open> order = planOrder(level);
    // every host's candidates, decrypted: [host][node][candidate] = (G, H)
    double[][][][][] offered = new double[hosts.size()][][][][];
    for (int k = 0; k < hosts.size(); k++) {
      offered[k] = decrypt(hosts.get(k), t, d, order.size());
    }
    int self = federation.self();
    Choice[] choices = new Choice[order.size()];
    for (int k = 0; k < order.size(); k++) {
      Open o = order.get(k);
      double[] hist = SplitSearch.histogram(bins, stride, o.rows(), g, h, engine);
      var b = params.boosting();
      SplitSearch.Split own = SplitSearch.best(hist, outputs, binning, stride, b, usable);
      double best = own == null ? SplitSearch.MIN_GAIN : own.gain();
      Choice choice = own == null ? null : new Choice(own, -1, -1, own.gain());
      double[][] total = totals(o.rows());
      double hTotal = sum(total[1]);
      for (int host = 0; host < hosts.size(); host++) {
        double[][][] candidates = offered[host][k];
        for (int sid = 0; sid < candidates.length; sid++) {
          double[] gl = candidates[sid][0];
          double[] hlk = candidates[sid][1];
          double hl = sum(hlk);
          double hr = hTotal - hl;
          if (hl < b.minChildWeight() || hr < b.minChildWeight()) {
            continue;
          }
          double gain = SplitMath.gain(gl, hlk, total[0], total[1], b.lambda());
          if (gain > SplitSearch.MIN_GAIN && SplitSearch.beats(gain, best)) {
            best = gain;
            choice = new Choice(null, host, sid, gain);
          }
        }
      }
      choices[k] = choice;
    }
    // tell each host what it won; the winners say which rows go left
    List<BitSet[]> lefts = new ArrayList<>();
    for (int host = 0; host < hosts.size(); host++) {
      int[] won = new int[order.size()];
      for (int k = 0; k < order.size(); k++) {
        won[k] = choices[k] != null && choices[k].host() == host ? choices[k].sid() : -1;
      }
      federation.send(
          hosts.get(host),
          messages.splits(t, d),
          new SecureBoostMessages.Splits(won).encode(),
          PayloadKind.CONTROL);
    }
    for (int host = 0; host < hosts.size(); host++) {
      lefts.add(
          SecureBoostMessages.Lefts.decode(
                  federation.receive(hosts.get(host), messages.lefts(t, d), params.timeout()))
              .left());
    }
    // the partition of every node that splits, in plan order
    int[] used = new int[hosts.size()];
    java.util.Map<Integer, int[][]> parts = new java.util.HashMap<>();
    for (int k = 0; k < order.size(); k++) {
      Open o = order.get(k);
      Choice c = choices[k];
      if (c == null) {
        continue;
      }
      gain.set(o.node(), c.gain());
      if (c.own() != null) {
        parts.put(o.node(), SplitSearch.partition(bins, binning, o.rows(), c.own()));
        missingLeft.set(o.node(), c.own().missingLeft());
        owner.set(o.node(), federation.self());
        feature.set(o.node(), c.own().feature());
        threshold.set(o.node(), binning.splitPoint(c.own().feature(), c.own().bin()));
      } else {
        BitSet[] fromHost = lefts.get(c.host());
        if (used[c.host()] >= fromHost.length) {
          throw new FederaException(
              ErrorCode.PROTOCOL, "host " + hosts.get(c.host()) + " sent too few left row sets");
        }
        parts.put(o.node(), partition(o.rows(), fromHost[used[c.host()]++]));
        owner.set(o.node(), hosts.get(c.host()));
      }
    }
    List<Open> next = new ArrayList<>();
    for (Open o : level) {
      int[][] p = parts.get(o.node());
      if (p == null) {
        leaf(o, raw);
        continue;
      }
      int l = newNode();
      int r = newNode();
      left.set(o.node(), l);
      right.set(o.node(), r);
      next.add(new Open(l, p[0], o.node(), r));
      next.add(new Open(r, p[1], o.node(), l));
    }
    return next;
  }

  /**
   * Host {@code host}'s candidates of each of {@code nodes} planned nodes, decrypted: {@code
   * [node][candidate]} = (G per output, H per output).
   */
  private double[][][][] decrypt(int host, int t, int d, int nodes) {
    var offer =
        SecureBoostMessages.Histograms.decode(
            federation.receive(host, messages.histograms(t, d), params.timeout()));
    var read = slots.read(offer, keys, scheme, outputs, nodes, engine);
    if (read == null) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "host " + host + " offered candidates that do not match the plan of tree " + t);
    }
    decrypted += read.ciphertexts();
    return read.sums();
  }

  /** The node's gradient and hessian sums per output, {@code [g|h][output]}. */
  private double[][] totals(int[] rows) {
    double[][] out = new double[2][outputs];
    for (int o = 0; o < outputs; o++) {
      double gs = 0;
      double hs = 0;
      for (int i : rows) {
        gs += g[o][i];
        hs += h[o][i];
      }
      out[0][o] = gs;
      out[1][o] = hs;
    }
    return out;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  private void leaf(Open o, double[][] raw) {
    double[][] total = totals(o.rows());
    var b = params.boosting();
    double[] v = new double[outputs];
    for (int k = 0; k < outputs; k++) {
      v[k] = b.learningRate() * SplitMath.leafWeight(total[0][k], total[1][k], b.lambda());
      for (int i : o.rows()) {
        raw[k][i] += v[k];
      }
    }
    value.set(o.node(), v);
  }

  private static int[][] partition(int[] rows, BitSet goLeft) {
    int[] l = new int[rows.length];
    int[] r = new int[rows.length];
    int nl = 0;
    int nr = 0;
    for (int k = 0; k < rows.length; k++) {
      if (goLeft.get(k)) {
        l[nl++] = rows[k];
      } else {
        r[nr++] = rows[k];
      }
    }
    return new int[][] {Arrays.copyOf(l, nl), Arrays.copyOf(r, nr)};
  }

  private int newNode() {
    owner.add(-1);
    feature.add(-1);
    threshold.add(0.0);
    missingLeft.add(false);
    left.add(-1);
    right.add(-1);
    value.add(new double[outputs]);
    gain.add(0.0);
    return owner.size() - 1;
  }
}
