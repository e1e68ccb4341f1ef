package io.federa.ml.tree;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import java.util.ArrayList;
import java.util.List;

/** Grows one tree level by level on binned features; see {@link GradientBoosting}. */
final class TreeGrower {
  private final QuantileBinning binning;
  private final byte[][] bins;
  private final double[] g;
  private final double[] h;
  private final GbdtParams params;
  private final ComputingEngine engine;
  private final int maxBins;

  private final List<Integer> feature = new ArrayList<>();
  private final List<Double> threshold = new ArrayList<>();
  private final List<Integer> left = new ArrayList<>();
  private final List<Integer> right = new ArrayList<>();
  private final List<Double> value = new ArrayList<>();

  TreeGrower(
      QuantileBinning binning,
      byte[][] bins,
      double[] g,
      double[] h,
      GbdtParams params,
      ComputingEngine engine) {
    this.binning = binning;
    this.bins = bins;
    this.g = g;
    this.h = h;
    this.params = params;
    this.engine = engine;
    int most = 0;
    for (int f = 0; f < binning.features(); f++) {
      most = Math.max(most, binning.bins(f));
    }
    this.maxBins = most;
  }

  private record Open(int node, int[] rows) {}

  private record Split(int feature, int bin, double gain) {}

  /** Grows the tree and adds its outputs to {@code raw} for the training rows. */
  Tree grow(double[] raw) {
    int[] all = new int[g.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    List<Open> level = List.of(new Open(newNode(), all));
    for (int depth = 0; depth <= params.maxDepth(); depth++) {
      List<Open> next = new ArrayList<>();
      for (Open open : level) {
        double[] hist = histogram(open.rows());
        Split split = depth < params.maxDepth() ? bestSplit(hist, open.rows().length) : null;
        if (split == null) {
          makeLeaf(open, raw, hist);
          continue;
        }
        int[][] parts = partition(open.rows(), split);
        int l = newNode();
        int r = newNode();
        feature.set(open.node(), split.feature());
        threshold.set(open.node(), binning.splitPoint(split.feature(), split.bin()));
        left.set(open.node(), l);
        right.set(open.node(), r);
        next.add(new Open(l, parts[0]));
        next.add(new Open(r, parts[1]));
      }
      level = next;
      if (level.isEmpty()) {
        break;
      }
    }
    return new Tree(
        feature.stream().mapToInt(Integer::intValue).toArray(),
        threshold.stream().mapToDouble(Double::doubleValue).toArray(),
        left.stream().mapToInt(Integer::intValue).toArray(),
        right.stream().mapToInt(Integer::intValue).toArray(),
        value.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private int newNode() {
    feature.add(-1);
    threshold.add(0.0);
    left.add(-1);
    right.add(-1);
    value.add(0.0);
    return feature.size() - 1;
  }

  /** Per feature and bin: gradient sum, hessian sum, row count; index {@code 3·(f·B + b)}. */
  private double[] histogram(int[] rows) {
    int features = bins.length;
    int stride = maxBins * 3;
    return engine.aggregate(
        rows.length,
        () -> new double[features * stride],
        (acc, from, to) -> {
          for (int f = 0; f < features; f++) {
            byte[] fb = bins[f];
            int base = f * stride;
            for (int k = from; k < to; k++) {
              int i = rows[k];
              int at = base + 3 * (fb[i] & 0xff);
              acc[at] += g[i];
              acc[at + 1] += h[i];
              acc[at + 2] += 1;
            }
          }
          return acc;
        },
        ColumnOps::addInto);
  }

  private Split bestSplit(double[] hist, int rows) {
    if (rows < 2 * params.minSamplesLeaf()) {
      return null;
    }
    int stride = maxBins * 3;
    Split best = null;
    for (int f = 0; f < bins.length; f++) {
      int base = f * stride;
      int b = binning.bins(f);
      double gTotal = 0;
      double hTotal = 0;
      for (int k = 0; k < b; k++) {
        gTotal += hist[base + 3 * k];
        hTotal += hist[base + 3 * k + 1];
      }
      double gl = 0;
      double hl = 0;
      double nl = 0;
      for (int k = 0; k < b - 1; k++) {
        gl += hist[base + 3 * k];
        hl += hist[base + 3 * k + 1];
        nl += hist[base + 3 * k + 2];
        double nr = rows - nl;
        double hr = hTotal - hl;
        if (nl < params.minSamplesLeaf() || nr < params.minSamplesLeaf()) {
          continue;
        }
        if (hl < params.minChildWeight() || hr < params.minChildWeight()) {
          continue;
        }
        double gain = SplitMath.gain(gl, hl, gTotal - gl, hr, params.lambda());
        if (gain > 1e-12 && (best == null || gain > best.gain())) {
          best = new Split(f, k, gain);
        }
      }
    }
    return best;
  }

  private int[][] partition(int[] rows, Split split) {
    byte[] fb = bins[split.feature()];
    int[] l = new int[rows.length];
    int[] r = new int[rows.length];
    int nl = 0;
    int nr = 0;
    for (int i : rows) {
      if ((fb[i] & 0xff) <= split.bin()) {
        l[nl++] = i;
      } else {
        r[nr++] = i;
      }
    }
    return new int[][] {java.util.Arrays.copyOf(l, nl), java.util.Arrays.copyOf(r, nr)};
  }

  private void makeLeaf(Open open, double[] raw, double[] hist) {
    double gs = 0;
    double hs = 0;
    int b = binning.bins(0);
    for (int k = 0; k < b; k++) {
      gs += hist[3 * k];
      hs += hist[3 * k + 1];
    }
    double v = params.learningRate() * SplitMath.leafWeight(gs, hs, params.lambda());
    value.set(open.node(), v);
    for (int i : open.rows()) {
      raw[i] += v;
    }
  }
}
