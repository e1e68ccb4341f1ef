package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.CiphertextCodec;
import io.federa.crypto.he.PackingScheme;
import io.federa.crypto.he.PackingScheme.Packed;
import io.federa.ml.tree.FeatureSampling;
import io.federa.ml.tree.QuantileBinning;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's encrypted histograms of one tree: per planned node, the sums of the guest's packed row
 * ciphertexts per feature and bin — the smaller child summed, its sibling derived as the parent's
 * sums minus it — then each candidate split's left sums (prefix over bins), in a secret shuffled
 * order, several per ciphertext, re-randomised. The candidate behind a split id stays here.
 */
final class HostHistograms {
  /** A candidate: rows with bin ≤ {@code bin} of {@code feature} go left. */
  record Candidate(int feature, int bin, boolean missingLeft) {}

  private final QuantileBinning binning;
  private final byte[][] bins;
  private final int stride;
  private final PackingScheme scheme;
  private final int minSamplesLeaf;
  private final int outputs;
  private final int pieces;
  private final ComputingEngine engine;
  private final SecureRandom random = new SecureRandom();

  /** The guest's row ciphertexts, {@code [piece][row]}. */
  private Packed[][] gradients;

  /** Two random values per row, summed to recognise equal left row sets. */
  private long[] rowHash;

  /** Sums {@code [piece][feature][bin]} of each node of the last level and of this one. */
  private Map<Integer, Packed[][][]> previous = new HashMap<>();

  private final Map<Integer, Packed[][][]> current = new HashMap<>();
  private final Map<Integer, int[]> rowsOf = new HashMap<>();
  private final Map<Integer, List<Candidate>> candidates = new HashMap<>();
  private boolean[] usable;

  HostHistograms(
      QuantileBinning binning,
      byte[][] bins,
      PackingScheme scheme,
      int minSamplesLeaf,
      int outputs,
      ComputingEngine engine) {
    this.outputs = outputs;
    this.pieces = GradientSlots.pieces(scheme, outputs);
    this.binning = binning;
    this.bins = bins;
    this.scheme = scheme;
    this.minSamplesLeaf = minSamplesLeaf;
    this.engine = engine;
    this.stride = io.federa.ml.tree.SplitSearch.stride(binning);
  }

  /** Ciphertexts per row (several for a multi-output tree of many classes). */
  int pieces() {
    return pieces;
  }

  /**
   * A new tree: the guest's encrypted row gradients ({@link #pieces} per row, piece by piece: row
   * {@code i}'s piece {@code p} at {@code p·n + i}), and the features it may split on ({@link
   * io.federa.ml.tree.FeatureSampling}; null: all) — the others are neither summed nor offered.
   */
  void newTree(Ciphertext[] rows, boolean[] usable) {
    this.usable = usable;
    int n = rows.length / pieces;
    gradients = new Packed[pieces][n];
    for (int p = 0; p < pieces; p++) {
      int slots = GradientSlots.SLOTS * GradientSlots.triplesIn(scheme, outputs, p);
      for (int i = 0; i < n; i++) {
        gradients[p][i] = new Packed(scheme, rows[p * n + i], slots, 1);
      }
    }
    rowHash = random.longs(2L * n).toArray();
    previous = new HashMap<>();
    current.clear();
  }

  /** The candidates of every node of {@code plan}, for the guest. */
  SecureBoostMessages.Histograms level(SecureBoostMessages.Plan plan) {
    previous = new HashMap<>(current); // the last level's sums: the parents of this level's nodes
    current.clear();
    rowsOf.clear();
    candidates.clear();
    Map<Integer, List<Integer>> members = new HashMap<>(); // in the bag: summed
    Map<Integer, List<Integer>> routed = new HashMap<>(); // every row of the node
    int[] nodeOfRow = plan.nodeOfRow();
    if (nodeOfRow.length != gradients[0].length) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest's plan covers " + nodeOfRow.length + " rows, the tree " + gradients[0].length);
    }
    for (int i = 0; i < nodeOfRow.length; i++) {
      int v = nodeOfRow[i];
      if (v >= 0) {
        members.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
      }
      if (v >= 0 || v <= -2) {
        routed.computeIfAbsent(v >= 0 ? v : -2 - v, k -> new ArrayList<>()).add(i);
      }
    }
    int[] counts = new int[plan.nodes().length];
    List<Ciphertext> out = new ArrayList<>();
    for (int k = 0; k < plan.nodes().length; k++) {
      int node = plan.nodes()[k];
      int[] rows =
          members.getOrDefault(node, List.of()).stream().mapToInt(Integer::intValue).toArray();
      rowsOf.put(
          node,
          routed.getOrDefault(node, List.of()).stream().mapToInt(Integer::intValue).toArray());
      Packed[][][] sums =
          plan.parent()[k] < 0
              ? direct(rows)
              : derive(
                  require(previous, plan.parent()[k]), require(current, plan.sibling()[k]), rows);
      current.put(node, sums);
      List<Candidate> list = new ArrayList<>();
      List<Packed[]> lefts = new ArrayList<>();
      prefixes(sums, rows, list, lefts);
      counts[k] = list.size();
      candidates.put(node, list);
      out.addAll(GradientSlots.compress(scheme, lefts, outputs, engine));
    }
    return new SecureBoostMessages.Histograms(
        counts, CiphertextCodec.encode(out.toArray(new Ciphertext[0]), engine));
  }

  /** The split behind the guest's choice {@code sid} of {@code node}. */
  Candidate candidate(int node, int sid) {
    List<Candidate> list = candidates.get(node);
    if (list == null || sid < 0 || sid >= list.size()) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "the guest chose split " + sid + " of node " + node + ", not offered");
    }
    return list.get(sid);
  }

  /** Which of {@code node}'s rows (all of them, bag or not, ascending) go left under {@code c}. */
  BitSet left(int node, Candidate c) {
    int[] rows = rowsOf.get(node);
    BitSet out = new BitSet(rows.length);
    byte[] fb = bins[c.feature()];
    int missing = binning.missingBin(c.feature());
    for (int k = 0; k < rows.length; k++) {
      int b = fb[rows[k]] & 0xff;
      if (b == missing ? c.missingLeft() : b <= c.bin()) {
        out.set(k);
      }
    }
    return out;
  }

  private static Packed[][][] require(Map<Integer, Packed[][][]> level, int node) {
    Packed[][][] sums = level.get(node);
    if (sums == null) {
      throw new FederaException(
          ErrorCode.PROTOCOL, "the guest's plan derives from node " + node + ", never summed");
    }
    return sums;
  }

  /**
   * Per piece, feature and bin, the sum of the rows' ciphertexts (null: no row in the bin). The
   * node's total is summed once; each feature's most populous bin is then the total minus its other
   * bins (LightGBM's most-frequent-bin trick: on default_credit's host features, whose commonest
   * value holds about half the rows, a third fewer additions).
   */
  private Packed[][][] direct(int[] rows) {
    int features = binning.features();
    Packed[][][] sums = new Packed[pieces][features][stride];
    Packed[] total = new Packed[pieces];
    byte[] none = new byte[gradients[0].length];
    engine.forEachRange(
        pieces,
        (from, to) -> {
          for (int p = from; p < to; p++) {
            total[p] = rows.length == 0 ? null : scheme.sumByBin(gradients[p], rows, none, 1)[0];
          }
        });
    engine.forEachRange(
        pieces * features,
        (from, to) -> {
          for (int x = from; x < to; x++) {
            int p = x / features;
            int f = x % features;
            if (!FeatureSampling.usable(usable, f)) {
              continue;
            }
            int[] count = counts(f, rows);
            int most = 0;
            for (int b = 1; b < stride; b++) {
              most = count[b] > count[most] ? b : most;
            }
            // skipping pays when the bin holds more rows than the others' subtraction costs
            boolean skip = count[most] > stride + 1;
            Packed[] byBin = scheme.sumByBin(gradients[p], rows, bins[f], stride, skip ? most : -1);
            if (skip) {
              Packed others = null;
              for (Packed v : byBin) {
                others = v == null ? others : others == null ? v : others.add(v);
              }
              byBin[most] = others == null ? total[p] : total[p].subtract(others);
            }
            sums[p][f] = byBin;
          }
        });
    return sums;
  }

  /** The parent's sums minus the sibling's, bin by bin (an empty bin stays null). */
  private Packed[][][] derive(Packed[][][] parent, Packed[][][] sibling, int[] rows) {
    int features = binning.features();
    Packed[][][] sums = new Packed[pieces][features][stride];
    engine.forEachRange(
        features,
        (from, to) -> {
          for (int f = from; f < to; f++) {
            if (!FeatureSampling.usable(usable, f)) {
              continue;
            }
            int[] count = counts(f, rows);
            for (int b = 0; b < stride; b++) {
              if (count[b] == 0) {
                continue;
              }
              for (int p = 0; p < pieces; p++) {
                Packed[] pb = parent[p][f];
                Packed[] sb = sibling[p][f];
                sums[p][f][b] = sb[b] == null ? pb[b] : pb[b].subtract(sb[b]);
              }
            }
          }
        });
    return sums;
  }

  private int[] counts(int f, int[] rows) {
    int[] count = new int[stride];
    byte[] fb = bins[f];
    for (int i : rows) {
      count[fb[i] & 0xff]++;
    }
    return count;
  }

  /**
   * Every candidate with at least {@code minSamplesLeaf} rows on each side, and its left sums — one
   * candidate per distinct partition of the node's rows, the first in (feature, bin) order:
   * candidates that split the rows alike (or mirrored, left and right swapped) have the same gain,
   * the guest could not tell them apart, and which one it took would depend on the shuffle; the
   * centralized GBDT takes the first. (A left set is recognised by a 128-bit sum of random per-row
   * values; equal sets have equal sums, a set and its complement sum to the node's.)
   */
  private void prefixes(Packed[][][] sums, int[] rows, List<Candidate> list, List<Packed[]> lefts) {
    List<Candidate> found = new ArrayList<>();
    List<Packed[]> sumsFound = new ArrayList<>();
    java.util.Set<java.util.List<Long>> seen = new java.util.HashSet<>();
    long totalA = 0;
    long totalB = 0;
    for (int i : rows) {
      totalA += rowHash[2 * i];
      totalB += rowHash[2 * i + 1];
    }
    for (int f = 0; f < binning.features(); f++) {
      if (!FeatureSampling.usable(usable, f)) {
        continue;
      }
      int[] count = new int[stride];
      long[] hashA = new long[stride];
      long[] hashB = new long[stride];
      byte[] fb = bins[f];
      for (int i : rows) {
        int b = fb[i] & 0xff;
        count[b]++;
        hashA[b] += rowHash[2 * i];
        hashB[b] += rowHash[2 * i + 1];
      }
      int mb = binning.missingBin(f);
      int nm = count[mb];
      Packed[] acc = null;
      int left = 0;
      long a = 0;
      long c = 0;
      // bin b's split with the missing rows right, then left; with missing rows, the last bin too
      for (int b = 0; b < (nm > 0 ? binning.bins(f) : binning.bins(f) - 1); b++) {
        if (sums[0][f][b] != null) {
          acc = add(acc, sums, f, b);
        }
        left += count[b];
        a += hashA[b];
        c += hashB[b];
        offer(
            new Candidate(f, b, false),
            acc,
            left,
            a,
            c,
            rows.length,
            totalA,
            totalB,
            seen,
            found,
            sumsFound);
        if (nm > 0 && b < binning.bins(f) - 1) {
          Packed[] withMissing = add(acc, sums, f, mb);
          offer(
              new Candidate(f, b, true),
              withMissing,
              left + nm,
              a + hashA[mb],
              c + hashB[mb],
              rows.length,
              totalA,
              totalB,
              seen,
              found,
              sumsFound);
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < found.size(); k++) {
      order.add(k);
    }
    Collections.shuffle(order, random);
    for (int k : order) {
      list.add(found.get(k));
      lefts.add(sumsFound.get(k));
    }
  }

  /**
   * Adds a candidate whose left side has {@code left} of the node's {@code rows} rows and row-hash
   * sums {@code (a, c)}, unless a side is under {@code minSamplesLeaf} or an earlier candidate
   * split the rows alike or mirrored.
   */
  private void offer(
      Candidate candidate,
      Packed[] sum,
      int left,
      long a,
      long c,
      int rows,
      long totalA,
      long totalB,
      java.util.Set<java.util.List<Long>> seen,
      List<Candidate> found,
      List<Packed[]> sumsFound) {
    if (left >= minSamplesLeaf
        && rows - left >= minSamplesLeaf
        && !seen.contains(java.util.List.of(totalA - a, totalB - c))
        && seen.add(java.util.List.of(a, c))) {
      found.add(candidate);
      sumsFound.add(sum);
    }
  }

  /** {@code acc} (null: nothing yet) plus bin {@code b} of feature {@code f}, piece by piece. */
  private Packed[] add(Packed[] acc, Packed[][][] sums, int f, int b) {
    Packed[] out = new Packed[pieces];
    for (int p = 0; p < pieces; p++) {
      out[p] = acc == null ? sums[p][f][b] : acc[p].add(sums[p][f][b]);
    }
    return out;
  }
}
