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
    Duration timeout) {

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
        Duration.ofMinutes(10));
  }

  public HomoParams withRounds(int r) {
    return new HomoParams(
        r,
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
        timeout);
  }

  public HomoParams withServer(ServerOptimizer.Kind kind, double rate) {
    return new HomoParams(
        rounds,
        localEpochs,
        batchSize,
        learningRate,
        optimizer,
        alpha,
        mu,
        kind,
        rate,
        fraction,
        minUpdates,
        roundDeadline,
        hidden,
        activation,
        seed,
        timeout);
  }

  public HomoParams withAlpha(double l2) {
    return new HomoParams(
        rounds,
        localEpochs,
        batchSize,
        learningRate,
        optimizer,
        l2,
        mu,
        server,
        serverLearningRate,
        fraction,
        minUpdates,
        roundDeadline,
        hidden,
        activation,
        seed,
        timeout);
  }

  public HomoParams withProx(double proximal) {
    return new HomoParams(
        rounds,
        localEpochs,
        batchSize,
        learningRate,
        optimizer,
        alpha,
        proximal,
        server,
        serverLearningRate,
        fraction,
        minUpdates,
        roundDeadline,
        hidden,
        activation,
        seed,
        timeout);
  }

  public HomoParams withHidden(int... widths) {
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
        widths,
        activation,
        seed,
        timeout);
  }

  public HomoParams withLocal(int epochs, double rate, Optimizer opt) {
    return new HomoParams(
        rounds,
        epochs,
        batchSize,
        rate,
        opt,
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
        timeout);
  }

  public HomoParams withParticipation(double share, int min, Duration deadline) {
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
        share,
        min,
        deadline,
        hidden,
        activation,
        seed,
        timeout);
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
