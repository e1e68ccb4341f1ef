package io.federa.ml.tree;

import io.federa.core.compute.ComputingEngine;
import java.util.ArrayList;
import java.util.List;

/** Grows one tree level by level on binned features; see {@link GradientBoosting}. */
final class TreeGrower {
  private final QuantileBinning binning;
  private final byte[][] bins;
  private final double[][] g;
  private final double[][] h;
  private final int outputs;
  private final GbdtParams params;
  private final ComputingEngine engine;
  private final int maxBins;
  private final boolean[] usable;

  private final List<Integer> feature = new ArrayList<>();
  private final List<Double> threshold = new ArrayList<>();
  private final List<Integer> left = new ArrayList<>();
  private final List<Integer> right = new ArrayList<>();
  private final List<double[]> value = new ArrayList<>();
  private final List<Boolean> missingLeft = new ArrayList<>();

  TreeGrower(
      QuantileBinning binning,
      byte[][] bins,
      double[][] g,
      double[][] h,
      GbdtParams params,
      boolean[] usable,
      ComputingEngine engine) {
    this.usable = usable;
    this.binning = binning;
    this.bins = bins;
    this.g = g;
    this.h = h;
    this.outputs = g.length;
    this.params = params;
    this.engine = engine;
    this.maxBins = SplitSearch.stride(binning);
  }

  private record Open(int node, int[] rows) {}

  /**
   * Grows the tree and adds its outputs to {@code raw} for the training rows: {@code raw[o]} gets
   * output {@code o} of the tree's {@code g.length}.
   */
  Tree grow(double[][] raw) {
    int[] all = new int[g[0].length];
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
                ? SplitSearch.best(hist, outputs, binning, maxBins, params, usable)
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
        Tree.flatten(value),
        missing());
  }

  private int newNode() {
    feature.add(-1);
    threshold.add(0.0);
    left.add(-1);
    right.add(-1);
    value.add(new double[outputs]);
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

  private void makeLeaf(Open open, double[][] raw, double[] hist) {
    int per = SplitSearch.width(outputs);
    int b = binning.missingBin(0) + 1;
    double[] v = new double[outputs];
    for (int o = 0; o < outputs; o++) {
      double gs = 0;
      double hs = 0;
      for (int k = 0; k < b; k++) {
        gs += hist[per * k + 2 * o];
        hs += hist[per * k + 2 * o + 1];
      }
      v[o] = params.learningRate() * SplitMath.leafWeight(gs, hs, params.lambda());
      for (int i : open.rows()) {
        raw[o][i] += v[o];
      }
    }
    value.set(open.node(), v);
  }
}
