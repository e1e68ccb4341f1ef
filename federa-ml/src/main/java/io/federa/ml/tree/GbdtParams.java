package io.federa.ml.tree;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;

/**
 * Hyper-parameters of gradient-boosted trees on histograms.
 *
 * @param loss what is boosted
 * @param trees number of trees
 * @param maxDepth depth of each tree (a depth-3 tree has at most 8 leaves)
 * @param learningRate shrinkage of each tree's leaf weights
 * @param bins histogram bins per feature (FATE's {@code max_bin}, default 32)
 * @param lambda L2 penalty on leaf weights (XGBoost's λ)
 * @param minChildWeight least hessian sum in a child
 * @param minSamplesLeaf least rows in a child
 * @param sampling which rows each tree learns from (all by default)
 * @param featureRate the fraction of features each tree may split on ({@link FeatureSampling}; 1 by
 *     default, FATE's {@code subsample_feature_rate})
 * @param multiOutput with the softmax, one tree per round whose leaves hold a value per class
 *     (FATE's {@code multi_mode: multi_output}) instead of one tree per class; its splits maximise
 *     the gain summed over the classes. No effect on a one-score loss.
 * @param tol boosting stops after the first round that changed the training loss by less than this
 *     ({@link BoostingConvergence}, FATE's {@code n_iter_no_change} with its {@code tol}: 1e-4 by
 *     default); 0 grows every tree
 */
public record GbdtParams(
    Loss loss,
    int trees,
    int maxDepth,
    double learningRate,
    int bins,
    double lambda,
    double minChildWeight,
    int minSamplesLeaf,
    RowSampling sampling,
    double featureRate,
    boolean multiOutput,
    double tol) {

  /** FATE's {@code tol} for {@code n_iter_no_change}: the default stopping rule of boosting. */
  public static final double DEFAULT_TOL = 1e-4;

  /** The objective of boosting. */
  public enum Loss {
    /** Binary cross-entropy on log-odds; labels 0 and 1. */
    LOGISTIC,
    /** Squared error; any numeric label. */
    SQUARED,
    /**
     * Softmax cross-entropy over the labels' distinct values: one tree per class per round ({@link
     * Targets}).
     */
    SOFTMAX
  }

  public GbdtParams {
    require(loss != null, "loss is missing");
    require(trees >= 1, "trees must be at least 1, got " + trees);
    require(maxDepth >= 1 && maxDepth <= 16, "depth must be 1..16, got " + maxDepth);
    require(
        learningRate > 0 && learningRate <= 1,
        "learning rate must be in (0, 1], got " + learningRate);
    require(bins >= 2 && bins <= QuantileBinning.MAX_BINS, "bins must be 2..256, got " + bins);
    require(lambda >= 0, "lambda must be ≥ 0, got " + lambda);
    require(minChildWeight >= 0, "min child weight must be ≥ 0, got " + minChildWeight);
    require(minSamplesLeaf >= 1, "min samples per leaf must be ≥ 1, got " + minSamplesLeaf);
    require(sampling != null, "sampling is missing");
    require(
        featureRate > 0 && featureRate <= 1,
        "the feature rate must be in (0, 1], got " + featureRate);
    require(tol >= 0 && tol < 1, "tol must be in [0, 1) (0: grow every tree), got " + tol);
  }

  /** Every option given but the stopping rule: FATE's default, {@link #DEFAULT_TOL}. */
  public GbdtParams(
      Loss loss,
      int trees,
      int maxDepth,
      double learningRate,
      int bins,
      double lambda,
      double minChildWeight,
      int minSamplesLeaf,
      RowSampling sampling,
      double featureRate,
      boolean multiOutput) {
    this(
        loss,
        trees,
        maxDepth,
        learningRate,
        bins,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        sampling,
        featureRate,
        multiOutput,
        DEFAULT_TOL);
  }

  /** Every feature in every tree. */
  public GbdtParams(
      Loss loss,
      int trees,
      int maxDepth,
      double learningRate,
      int bins,
      double lambda,
      double minChildWeight,
      int minSamplesLeaf,
      RowSampling sampling) {
    this(
        loss,
        trees,
        maxDepth,
        learningRate,
        bins,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        sampling,
        1,
        false);
  }

  /** Every row in every tree. */
  public GbdtParams(
      Loss loss,
      int trees,
      int maxDepth,
      double learningRate,
      int bins,
      double lambda,
      double minChildWeight,
      int minSamplesLeaf) {
    this(
        loss,
        trees,
        maxDepth,
        learningRate,
        bins,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        RowSampling.NONE);
  }

  public GbdtParams withSampling(RowSampling s) {
    return with(m -> m.sampling = s);
  }

  public GbdtParams withLoss(Loss l) {
    return with(m -> m.loss = l);
  }

  public GbdtParams withFeatureRate(double rate) {
    return with(m -> m.featureRate = rate);
  }

  public GbdtParams withMultiOutput(boolean on) {
    return with(m -> m.multiOutput = on);
  }

  /** A copy stopping at {@code t} ({@link #tol}; 0: every tree is grown). */
  public GbdtParams withTol(double t) {
    return with(m -> m.tol = t);
  }

  /** Trees grown per round for {@code dimensions} scores: one per class unless multi-output. */
  public int treesPerRound(int dimensions) {
    return multiOutput ? 1 : dimensions;
  }

  /** Scores each tree's leaves hold: every dimension's in a multi-output tree, else one. */
  public int outputsPerTree(int dimensions) {
    return multiOutput ? dimensions : 1;
  }

  /** The features tree {@code tree} (from 0) may split on; null for all. */
  public boolean[] featureMask(java.util.List<String> names, int tree) {
    return FeatureSampling.mask(names, featureRate, sampling.seed(), tree);
  }

  /** 10 trees of depth 3, learning rate 0.1, 32 bins, λ = 0.1; stops early at tol 1e-4. */
  public static GbdtParams defaults(Loss loss) {
    return new GbdtParams(loss, 10, 3, 0.1, 32, 0.1, 1e-3, 1);
  }

  public GbdtParams withTrees(int n) {
    return with(m -> m.trees = n);
  }

  public GbdtParams withDepth(int depth) {
    return with(m -> m.maxDepth = depth);
  }

  public GbdtParams withLearningRate(double rate) {
    return with(m -> m.learningRate = rate);
  }

  public GbdtParams withBins(int n) {
    return with(m -> m.bins = n);
  }

  /** A copy with {@code change} applied (and checked anew). */
  private GbdtParams with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new GbdtParams(
        c.loss,
        c.trees,
        c.maxDepth,
        c.learningRate,
        c.bins,
        lambda,
        minChildWeight,
        minSamplesLeaf,
        c.sampling,
        c.featureRate,
        c.multiOutput,
        c.tol);
  }

  /** The components the withers change. */
  private static final class Copy {
    Loss loss;
    int trees;
    int maxDepth;
    double learningRate;
    int bins;
    RowSampling sampling;
    double featureRate;
    boolean multiOutput;
    double tol;

    Copy(GbdtParams p) {
      loss = p.loss;
      trees = p.trees;
      maxDepth = p.maxDepth;
      learningRate = p.learningRate;
      bins = p.bins;
      sampling = p.sampling;
      featureRate = p.featureRate;
      multiOutput = p.multiOutput;
      tol = p.tol;
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }
}
