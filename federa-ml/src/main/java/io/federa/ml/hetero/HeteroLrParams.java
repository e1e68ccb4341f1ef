package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.he.HeParameters;
import java.time.Duration;

/**
 * Hyper-parameters of hetero (vertical) logistic regression, named as FATE's HeteroLR.
 *
 * @param maxIter most epochs (passes over the rows)
 * @param learningRate step size; divided by {@code 1 + decay·(step − 1)} at each step
 * @param decay learning-rate decay per step (0: none)
 * @param alpha penalty strength; the penalty is {@code penalty}
 * @param tol stop when the loss (or the weights, see {@code convergence}) changes less than this
 * @param optimizer how each party updates its own weights
 * @param key the arbiter's key: scheme (Paillier by default, or OU) and size (2048 bits by default;
 *     a test key under 2048 bits says so in the key the arbiter sends)
 * @param timeout how long a party waits for another party's message
 * @param penalty L2, L1 or none
 * @param batchSize rows per mini-batch; −1 for the full batch
 * @param convergence what {@code tol} is compared with
 * @param objective logistic, linear or Poisson ({@link Objective})
 * @param standardize each party trains on its own columns as z-scores and reports its weights in
 *     the original units ({@link io.federa.ml.linear.Standardization}); true by default
 * @param sigmoid how hetero LR forms {@code σ(z) − y} ({@link Sigmoid}); {@code AUTO} by default
 */
public record HeteroLrParams(
    int maxIter,
    double learningRate,
    double decay,
    double alpha,
    double tol,
    Optimizer optimizer,
    HeParameters key,
    Duration timeout,
    Penalty penalty,
    int batchSize,
    Convergence convergence,
    Objective objective,
    boolean standardize,
    Sigmoid sigmoid) {

  /**
   * What the linear model predicts: {@code LOGISTIC} (hetero LR: P(y = 1) = σ(z), the loss and
   * residual Taylor-expanded at 0, one-vs-rest for several classes), {@code LINEAR} (hetero LinR: z
   * itself, squared loss, residual and loss exact) or {@code POISSON} (hetero Poisson: the mean
   * exp(z) of a count, loss exp(z) − y·z, residual exact; one host).
   */
  public enum Objective {
    LOGISTIC,
    LINEAR,
    POISSON;

    /** What the model predicts from the linear predictor {@code z}: σ(z), z or exp(z). */
    public double mean(double z) {
      return switch (this) {
        case LINEAR -> z;
        case POISSON -> Math.exp(z);
        case LOGISTIC -> io.federa.core.linalg.ColumnOps.sigmoid(z);
      };
    }
  }

  /**
   * How hetero LR's residual {@code σ(z) − y} is formed from the parts of {@code z = u_g + Σu_h}.
   * {@code EXACT}: the guest sends the arbiter the rows' encrypted scores {@code [[z]]} in a fresh
   * random order each epoch, the arbiter decrypts them and answers {@code [[σ(z)]]} in that order —
   * the logistic loss itself, the optimum centralized LR would reach, at the price of the arbiter
   * seeing the (unordered) scores; needs an arbiter. {@code TAYLOR}: FATE's expansion at 0, {@code
   * ¼z + ½ − y}, formed by the guest from ciphertexts alone. {@code AUTO}: exact with an arbiter,
   * Taylor without.
   */
  public enum Sigmoid {
    AUTO,
    EXACT,
    TAYLOR
  }

  /** How each party updates its own weights from its gradient. */
  public enum Optimizer {
    SGD,
    NESTEROV_MOMENTUM_SGD,
    RMSPROP,
    ADAM,
    /**
     * Full-batch L-BFGS across the parties ({@link io.federa.ml.optim.QuasiNewton}): no learning
     * rate, a few tens of epochs to the optimum; needs the full batch and no L1 penalty.
     */
    LBFGS
  }

  /** The regulariser. L1 is applied by proximal soft-thresholding after each step. */
  public enum Penalty {
    NONE,
    L1,
    L2
  }

  /**
   * {@code LOSS}: the arbiter compares successive epoch losses; {@code WEIGHT_DIFF}: each party
   * sends the arbiter the squared norm of its own weight change, the arbiter compares the total's
   * square root (FATE's {@code weight_diff}).
   */
  public enum Convergence {
    LOSS,
    WEIGHT_DIFF
  }

  public HeteroLrParams {
    require(maxIter >= 1, "max_iter must be at least 1, got " + maxIter);
    require(learningRate > 0, "learning_rate must be positive, got " + learningRate);
    require(decay >= 0, "decay must be ≥ 0, got " + decay);
    require(alpha >= 0, "alpha must be ≥ 0, got " + alpha);
    require(tol >= 0, "tol must be ≥ 0, got " + tol);
    require(optimizer != null, "optimizer is missing");
    require(key != null, "the key parameters are missing");
    require(timeout != null && !timeout.isNegative(), "timeout must be positive");
    require(penalty != null, "penalty is missing");
    require(
        batchSize == -1 || batchSize >= 1, "batch_size must be -1 (full) or ≥ 1, got " + batchSize);
    require(convergence != null, "convergence is missing");
    require(objective != null, "objective is missing");
    require(sigmoid != null, "sigmoid is missing");
    require(
        optimizer != Optimizer.LBFGS || batchSize == -1,
        "optimizer lbfgs works on the full batch: set batch_size to -1, or pick adam, rmsprop,"
            + " sgd or nesterov_momentum_sgd for mini-batches of "
            + batchSize);
    require(
        optimizer != Optimizer.LBFGS || penalty != Penalty.L1,
        "optimizer lbfgs takes an L2 penalty or none: pick adam, rmsprop, sgd or"
            + " nesterov_momentum_sgd for L1");
  }

  /**
   * Whether the residual is the exact {@code σ(z) − y} through the arbiter ({@link Sigmoid}), given
   * whether the run has one.
   */
  boolean exactSigmoid(boolean withArbiter) {
    return objective == Objective.LOGISTIC
        && (sigmoid == Sigmoid.EXACT || (sigmoid == Sigmoid.AUTO && withArbiter));
  }

  /** Whether the parties step together by L-BFGS rather than each on its own. */
  boolean quasiNewton() {
    return optimizer == Optimizer.LBFGS;
  }

  /** The L2 strength in the objective (0 without an L2 penalty). */
  double l2() {
    return penalty == Penalty.L2 ? alpha : 0;
  }

  /** L2 penalty, full batch, loss-based convergence. */
  public HeteroLrParams(
      int maxIter,
      double learningRate,
      double decay,
      double alpha,
      double tol,
      Optimizer optimizer,
      HeParameters key,
      Duration timeout) {
    this(
        maxIter,
        learningRate,
        decay,
        alpha,
        tol,
        optimizer,
        key,
        timeout,
        Penalty.L2,
        -1,
        Convergence.LOSS,
        Objective.LOGISTIC,
        true,
        Sigmoid.AUTO);
  }

  /**
   * L-BFGS, L2 alpha 0.01, at most 100 epochs, stopping when the objective changes by less than
   * 1e-6, full batch, 2048-bit keys (learning rate 0.15 for the first-order optimizers).
   */
  public static HeteroLrParams defaults() {
    return new HeteroLrParams(
        100, 0.15, 0, 0.01, 1e-6, Optimizer.LBFGS, HeParameters.defaults(), Duration.ofMinutes(10));
  }

  public HeteroLrParams withKey(HeParameters k) {
    Builder b = new Builder(this);
    b.key = k;
    return b.build();
  }

  public HeteroLrParams withMaxIter(int n) {
    Builder b = new Builder(this);
    b.maxIter = n;
    return b.build();
  }

  public HeteroLrParams withLearningRate(double rate) {
    Builder b = new Builder(this);
    b.learningRate = rate;
    return b.build();
  }

  /** The penalty; L1 makes the L-BFGS default give way to Adam. */
  public HeteroLrParams withPenalty(Penalty p, double strength) {
    Builder b = new Builder(this);
    if (p == Penalty.L1 && optimizer == Optimizer.LBFGS) {
      b.optimizer = Optimizer.ADAM;
    }
    b.penalty = p;
    b.alpha = strength;
    return b.build();
  }

  /** Rows per mini-batch (−1: full); mini-batches make the L-BFGS default give way to Adam. */
  public HeteroLrParams withBatchSize(int size) {
    Builder b = new Builder(this);
    if (size != -1 && optimizer == Optimizer.LBFGS) {
      b.optimizer = Optimizer.ADAM;
    }
    b.batchSize = size;
    return b.build();
  }

  public HeteroLrParams withConvergence(Convergence c, double tolerance) {
    Builder b = new Builder(this);
    b.convergence = c;
    b.tol = tolerance;
    return b.build();
  }

  public HeteroLrParams withOptimizer(Optimizer o) {
    Builder b = new Builder(this);
    b.optimizer = o;
    return b.build();
  }

  /**
   * Whether each party trains on its columns standardized ({@link
   * io.federa.ml.linear.Standardization}).
   */
  public HeteroLrParams withStandardize(boolean on) {
    Builder b = new Builder(this);
    b.standardize = on;
    return b.build();
  }

  /** How the residual is formed ({@link Sigmoid}). */
  public HeteroLrParams withSigmoid(Sigmoid s) {
    Builder b = new Builder(this);
    b.sigmoid = s;
    return b.build();
  }

  public HeteroLrParams withObjective(Objective o) {
    Builder b = new Builder(this);
    b.objective = o;
    return b.build();
  }

  /** Whether the model is a regression (LinR or Poisson), not classes. */
  public boolean regression() {
    return objective != Objective.LOGISTIC;
  }

  /** A mutable copy, so that each {@code with…} names only what it changes. */
  private static final class Builder {
    private int maxIter;
    private double learningRate;
    private double decay;
    private double alpha;
    private double tol;
    private Optimizer optimizer;
    private HeParameters key;
    private Duration timeout;
    private Penalty penalty;
    private int batchSize;
    private Convergence convergence;
    private Objective objective;
    private boolean standardize;
    private Sigmoid sigmoid;

    Builder(HeteroLrParams p) {
      maxIter = p.maxIter;
      learningRate = p.learningRate;
      decay = p.decay;
      alpha = p.alpha;
      tol = p.tol;
      optimizer = p.optimizer;
      key = p.key;
      timeout = p.timeout;
      penalty = p.penalty;
      batchSize = p.batchSize;
      convergence = p.convergence;
      objective = p.objective;
      standardize = p.standardize;
      sigmoid = p.sigmoid;
    }

    HeteroLrParams build() {
      return new HeteroLrParams(
          maxIter,
          learningRate,
          decay,
          alpha,
          tol,
          optimizer,
          key,
          timeout,
          penalty,
          batchSize,
          convergence,
          objective,
          standardize,
          sigmoid);
    }
  }

  /** The mini-batches of {@code rows} rows: {@code [from, to)} pairs, the same at every party. */
  int[][] batches(int rows) {
    int size = batchSize < 0 ? rows : Math.min(batchSize, rows);
    int count = Math.max(1, (rows + size - 1) / size);
    int[][] out = new int[count][];
    for (int b = 0; b < count; b++) {
      out[b] = new int[] {b * size, Math.min(rows, (b + 1) * size)};
    }
    return out;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }
}
