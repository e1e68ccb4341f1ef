package io.federa.ml.tree;

import io.federa.core.compute.ComputingEngine;
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
  private final boolean[] usable;

  private final List<Integer> feature = new ArrayList<>();
  private final List<Double> threshold = new ArrayList<>();
  private final List<Integer> left = new ArrayList<>();
  private final List<Integer> right = new ArrayList<>();
  private final List<Double> value = new ArrayList<>();
  private final List<Boolean> missingLeft = new ArrayList<>();

  TreeGrower(
      QuantileBinning binning,
      byte[][] bins,
      double[] g,
      double[] h,
      GbdtParams params,
      boolean[] usable,
      ComputingEngine engine) {
    this.usable = usable;
    this.binning = binning;
    this.bins = bins;
    this.g = g;
    this.h = h;
    this.params = params;
    this.engine = engine;
    this.maxBins = SplitSearch.stride(binning);
  }

  private record Open(int node, int[] rows) {}

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
        double[] hist = SplitSearch.histogram(bins, maxBins, open.rows(), g, h, engine);
        SplitSearch.Split split =
            depth < params.maxDepth()
                ? SplitSearch.best(hist, binning, maxBins, params, usable)
                : null;
        if (split == null) {
          makeLeaf(open, raw, hist);
          continue;
        }
        int[][] parts = SplitSearch.partition(bins, binning, open.rows(), split);
        int l = newNode();
        int r = newNode();
        feature.set(open.node(), split.feature());
        threshold.set(open.node(), binning.splitPoint(split.feature(), split.bin()));
        missingLeft.set(open.node(), split.missingLeft());
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
        value.stream().mapToDouble(Double::doubleValue).toArray(),
        missing());
  }

  private int newNode() {
    feature.add(-1);
    threshold.add(0.0);
    left.add(-1);
    right.add(-1);
    value.add(0.0);
    missingLeft.add(false);
    return feature.size() - 1;
  }

  private boolean[] missing() {
    boolean[] out = new boolean[missingLeft.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = missingLeft.get(k);
    }
    return out;
  }

  private void makeLeaf(Open open, double[] raw, double[] hist) {
    double gs = 0;
    double hs = 0;
    int b = binning.missingBin(0) + 1;
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
