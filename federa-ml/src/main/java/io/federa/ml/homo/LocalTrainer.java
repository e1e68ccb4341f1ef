package io.federa.ml.homo;

import java.util.SplittableRandom;

/**
 * A party's local training in a round: {@code localEpochs} passes of shuffled mini-batches from the
 * global weights, with L2 and the FedProx term {@code μ/2·‖w − w_global‖²}.
 */
final class LocalTrainer {
  private LocalTrainer() {}

  /** Returns the mean training loss of the last local epoch; {@code w} is updated in place. */
  static double train(Mlp model, double[] w, double[][] x, int[] y, HomoParams params, long seed) {
    double[] global = w.clone();
    int p = w.length;
    double[] grad = new double[p];
    double[] m = new double[p];
    double[] v = new double[p];
    int[] order = new int[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    double[][] bx = new double[params.batchSize()][];
    int[] by = new int[params.batchSize()];
    SplittableRandom random = new SplittableRandom(seed);
    int step = 0;
    double epochLoss = 0;
    for (int e = 0; e < params.localEpochs(); e++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      epochLoss = 0;
      for (int from = 0; from < order.length; from += params.batchSize()) {
        int to = Math.min(order.length, from + params.batchSize());
        for (int k = from; k < to; k++) {
          bx[k - from] = x[order[k]];
          by[k - from] = y[order[k]];
        }
        double loss = model.lossAndGradient(w, bx, by, 0, to - from, grad);
        epochLoss += loss * (to - from);
        model.addL2(w, params.alpha(), grad);
        for (int k = 0; k < p; k++) {
          grad[k] += params.mu() * (w[k] - global[k]);
        }
        step++;
        update(params, w, grad, m, v, step);
      }
      epochLoss /= order.length;
    }
    return epochLoss;
  }

  private static void update(
      HomoParams params, double[] w, double[] g, double[] m, double[] v, int step) {
    double lr = params.learningRate();
    switch (params.optimizer()) {
      case SGD -> {
        for (int k = 0; k < w.length; k++) {
          w[k] -= lr * g[k];
        }
      }
      case MOMENTUM -> {
        for (int k = 0; k < w.length; k++) {
          m[k] = 0.9 * m[k] + g[k];
          w[k] -= lr * m[k];
        }
      }
      case ADAM -> {
        double c1 = 1 - Math.pow(0.9, step);
        double c2 = 1 - Math.pow(0.999, step);
        for (int k = 0; k < w.length; k++) {
          m[k] = 0.9 * m[k] + 0.1 * g[k];
          v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
          w[k] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8);
        }
      }
    }
  }

  /**
   * Strategy {@code LBFGS}: no local steps — the mean loss and its gradient over all local rows at
   * {@code w} (written into {@code grad}), for the arbiter's L-BFGS on the parties' sum.
   */
  static double fullGradient(Mlp model, double[] w, double[][] x, int[] y, double[] grad) {
    return model.lossAndGradient(w, x, y, 0, x.length, grad);
  }
}
