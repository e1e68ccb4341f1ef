package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.time.Duration;

/**
 * Hyper-parameters of hetero (vertical) logistic regression, named as FATE's HeteroLR: full-batch
 * gradient steps with {@code optimizer} ({@code sgd} with learning-rate decay, or {@code adam}), L2
 * penalty {@code alpha}, at most {@code maxIter} iterations, stopping when the loss changes by less
 * than {@code tol}.
 *
 * @param keyBits Paillier modulus size (2048 by default)
 * @param testKeys allow keys under 2048 bits (tests only; the arbiter says so in the key it sends)
 */
public record HeteroLrParams(
    int maxIter,
    double learningRate,
    double decay,
    double alpha,
    double tol,
    Optimizer optimizer,
    int keyBits,
    boolean testKeys,
    Duration timeout) {

  /** How each party updates its own weights from its gradient. */
  public enum Optimizer {
    SGD,
    ADAM
  }

  public HeteroLrParams {
    require(maxIter >= 1, "max_iter must be at least 1, got " + maxIter);
    require(learningRate > 0, "learning_rate must be positive, got " + learningRate);
    require(decay >= 0, "decay must be ≥ 0, got " + decay);
    require(alpha >= 0, "alpha must be ≥ 0, got " + alpha);
    require(tol >= 0, "tol must be ≥ 0, got " + tol);
    require(optimizer != null, "optimizer is missing");
    require(timeout != null && !timeout.isNegative(), "timeout must be positive");
  }

  /** Adam, learning rate 0.15, alpha 0.01, 30 iterations, tol 1e-4, 2048-bit keys (FATE-like). */
  public static HeteroLrParams defaults() {
    return new HeteroLrParams(
        30, 0.15, 0, 0.01, 1e-4, Optimizer.ADAM, 2048, false, Duration.ofMinutes(10));
  }

  public HeteroLrParams withKeyBits(int bits, boolean testOnly) {
    return new HeteroLrParams(
        maxIter, learningRate, decay, alpha, tol, optimizer, bits, testOnly, timeout);
  }

  public HeteroLrParams withMaxIter(int n) {
    return new HeteroLrParams(
        n, learningRate, decay, alpha, tol, optimizer, keyBits, testKeys, timeout);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }
}
