package io.federa.ml.homo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.time.Duration;

/**
 * Hyper-parameters of horizontal (homo) training.
 *
 * @param rounds communication rounds
 * @param localEpochs passes over its own rows a party makes per round
 * @param batchSize rows per local mini-batch
 * @param learningRate local step size
 * @param optimizer local optimiser (state restarts every round, as in FedAvg)
 * @param alpha L2 penalty on the weights (not biases)
 * @param mu FedProx proximal strength (0: plain FedAvg local objective)
 * @param server how the arbiter turns the average of the updates into the next global model
 * @param serverLearningRate step of FedAdam / FedYogi / FedAdagrad (ignored by FedAvg)
 * @param fraction share of the parties asked to train in a round (at least {@code minUpdates})
 * @param minUpdates fewest updates that make a round; with fewer the global model is kept
 * @param roundDeadline how long the arbiter waits for updates in a round
 * @param hidden hidden-layer widths (empty: logistic regression)
 * @param activation hidden activation
 * @param seed seeds the initial weights, the sampling of parties and the local shuffles
 * @param timeout how long a party waits for the arbiter
 * @param tol stop when the objective changes by less than this: between L-BFGS steps ({@code
 *     LBFGS}), or in three rounds running (the averaging strategies); 0: run every round
 */
public record HomoParams(
    int rounds,
    int localEpochs,
    int batchSize,
    double learningRate,
    Optimizer optimizer,
    double alpha,
    double mu,
    ServerOptimizer.Kind server,
    double serverLearningRate,
    double fraction,
    int minUpdates,
    Duration roundDeadline,
    int[] hidden,
    Mlp.Activation activation,
    long seed,
    Duration timeout,
    double tol) {

  /** Local optimisers. */
  public enum Optimizer {
    SGD,
    MOMENTUM,
    ADAM
  }

  public HomoParams {
    require(rounds >= 1, "rounds must be ≥ 1, got " + rounds);
    require(localEpochs >= 1, "local epochs must be ≥ 1, got " + localEpochs);
    require(batchSize >= 1, "batch size must be ≥ 1, got " + batchSize);
    require(learningRate > 0, "learning rate must be positive, got " + learningRate);
    require(alpha >= 0 && mu >= 0, "alpha and mu must be ≥ 0");
    require(fraction > 0 && fraction <= 1, "fraction must be in (0, 1], got " + fraction);
    require(minUpdates >= 1, "min updates must be ≥ 1, got " + minUpdates);
    require(tol >= 0, "tol must be ≥ 0, got " + tol);
    require(
        server != ServerOptimizer.Kind.LBFGS || fraction == 1,
        "strategy lbfgs takes every party's gradient each round: set fraction to 1 (or pick"
            + " fedavg, which samples parties)");
    hidden = hidden == null ? new int[0] : hidden.clone();
  }

  /** FedAvg of logistic regression: 30 rounds of 2 local epochs, Adam 0.05, batch 32. */
  public static HomoParams defaults() {
    return new HomoParams(
        30,
        2,
        32,
        0.05,
        Optimizer.ADAM,
        0,
        0,
        ServerOptimizer.Kind.FEDAVG,
        0.1,
        1.0,
        1,
        Duration.ofMinutes(5),
        new int[0],
        Mlp.Activation.RELU,
        7,
        Duration.ofMinutes(10),
        0);
  }

  /**
   * Homo LR's default: the arbiter's L-BFGS on the parties' full-batch gradients ({@code LBFGS}),
   * L2 α 0.01, at most 100 rounds, stopping when the objective changes by less than 1e-6.
   */
  public static HomoParams lbfgs() {
    return defaults()
        .withServer(ServerOptimizer.Kind.LBFGS, 0.1)
        .withAlpha(0.01)
        .withRounds(100)
        .withTol(1e-6);
  }

  public HomoParams withRounds(int r) {
    Builder b = new Builder(this);
    b.rounds = r;
    return b.build();
  }

  public HomoParams withServer(ServerOptimizer.Kind kind, double rate) {
    Builder b = new Builder(this);
    b.server = kind;
    b.serverLearningRate = rate;
    return b.build();
  }

  /** Stops when the objective changes by less than {@code tolerance} (see {@code tol}). */
  public HomoParams withTol(double tolerance) {
    Builder b = new Builder(this);
    b.tol = tolerance;
    return b.build();
  }

  public HomoParams withAlpha(double l2) {
    Builder b = new Builder(this);
    b.alpha = l2;
    return b.build();
  }

  public HomoParams withProx(double proximal) {
    Builder b = new Builder(this);
    b.mu = proximal;
    return b.build();
  }

  public HomoParams withHidden(int... widths) {
    Builder b = new Builder(this);
    b.hidden = widths;
    return b.build();
  }

  public HomoParams withLocal(int epochs, double rate, Optimizer opt) {
    Builder b = new Builder(this);
    b.localEpochs = epochs;
    b.learningRate = rate;
    b.optimizer = opt;
    return b.build();
  }

  public HomoParams withParticipation(double share, int min, Duration deadline) {
    Builder b = new Builder(this);
    b.fraction = share;
    b.minUpdates = min;
    b.roundDeadline = deadline;
    return b.build();
  }

  /** A mutable copy, so that each {@code with…} names only what it changes. */
  private static final class Builder {
    private int rounds;
    private int localEpochs;
    private int batchSize;
    private double learningRate;
    private Optimizer optimizer;
    private double alpha;
    private double mu;
    private ServerOptimizer.Kind server;
    private double serverLearningRate;
    private double fraction;
    private int minUpdates;
    private Duration roundDeadline;
    private int[] hidden;
    private Mlp.Activation activation;
    private long seed;
    private Duration timeout;
    private double tol;

    Builder(HomoParams p) {
      rounds = p.rounds;
      localEpochs = p.localEpochs;
      batchSize = p.batchSize;
      learningRate = p.learningRate;
      optimizer = p.optimizer;
      alpha = p.alpha;
      mu = p.mu;
      server = p.server;
      serverLearningRate = p.serverLearningRate;
      fraction = p.fraction;
      minUpdates = p.minUpdates;
      roundDeadline = p.roundDeadline;
      hidden = p.hidden;
      activation = p.activation;
      seed = p.seed;
      timeout = p.timeout;
      tol = p.tol;
    }

    HomoParams build() {
      return new HomoParams(
          rounds,
          localEpochs,
          batchSize,
          learningRate,
          optimizer,
          alpha,
          mu,
          server,
          serverLearningRate,
          fraction,
          minUpdates,
          roundDeadline,
          hidden,
          activation,
          seed,
          timeout,
          tol);
    }
  }

  /** The network for {@code features} inputs and {@code classes} classes. */
  Mlp model(int features, int classes) {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = features;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = classes == 2 ? 1 : classes;
    return new Mlp(sizes, activation);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }
}
