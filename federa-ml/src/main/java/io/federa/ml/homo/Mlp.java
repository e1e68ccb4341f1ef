package io.federa.ml.homo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multilayer perceptron on plain arrays: dense layers, a hidden activation, and a sigmoid (one
 * output, binary) or softmax (K outputs) output layer with cross-entropy loss. With no hidden layer
 * it is logistic regression (binary or multinomial). All parameters live in one flat vector (layer
 * by layer: weights row-major {@code out × in}, then biases), which is what the parties exchange.
 */
public final class Mlp {
  /** Activation of the hidden layers. */
  public enum Activation {
    RELU,
    SIGMOID,
    TANH
  }

  private final int[] sizes;
  private final Activation hidden;
  private final int[] offsets;
  private final int parameters;

  /**
   * @param sizes input width, hidden widths…, outputs (1 for a binary label, K ≥ 3 for K classes)
   */
  public Mlp(int[] sizes, Activation hidden) {
    if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "layer sizes must be at least input and output, each ≥ 1, got " + Arrays.toString(sizes));
    }
    if (sizes[sizes.length - 1] == 2) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "a binary output is one unit (sigmoid), not two");
    }
    this.sizes = sizes.clone();
    this.hidden = hidden;
    offsets = new int[sizes.length];
    int p = 0;
    for (int l = 1; l < sizes.length; l++) {
      offsets[l] = p;
      p += sizes[l] * sizes[l - 1] + sizes[l];
    }
    parameters = p;
  }

  /** Logistic regression: binary (one sigmoid output) for 2 classes, softmax otherwise. */
  public static Mlp logistic(int features, int classes) {
    return new Mlp(new int[] {features, classes == 2 ? 1 : classes}, Activation.RELU);
  }

  /**
   * The L2 penalty {@code α/2·Σw²} over the weights (not the biases) at {@code w}; adds its
   * gradient {@code α·w} into {@code grad}.
   */
  public double addL2(double[] w, double alpha, double[] grad) {
    double penalty = 0;
    for (int l = 1; l < sizes.length && alpha > 0; l++) {
      for (int k = offsets[l]; k < offsets[l] + sizes[l] * sizes[l - 1]; k++) {
        grad[k] += alpha * w[k];
        penalty += 0.5 * alpha * w[k] * w[k];
      }
    }
    return penalty;
  }

  public int parameterCount() {
    return parameters;
  }

  public int inputs() {
    return sizes[0];
  }

  public int outputs() {
    return sizes[sizes.length - 1];
  }

  public int[] sizes() {
    return sizes.clone();
  }

  public Activation hidden() {
    return hidden;
  }

  /**
   * Zeros for logistic regression; He/Xavier-scaled uniform weights (seeded) with hidden layers.
   */
  public double[] initialParameters(long seed) {
    double[] w = new double[parameters];
    if (sizes.length == 2) {
      return w;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int l = 1; l < sizes.length; l++) {
      int in = sizes[l - 1];
      double scale =
          hidden == Activation.RELU && l < sizes.length - 1
              ? Math.sqrt(6.0 / in)
              : Math.sqrt(6.0 / (in + sizes[l]));
      for (int k = 0; k < sizes[l] * in; k++) {
        w[offsets[l] + k] = (2 * random.nextDouble() - 1) * scale;
      }
    }
    return w;
  }

  /**
   * Mean cross-entropy of rows {@code [from, to)} and its gradient (written into {@code grad},
   * overwritten). Labels are class indices ({@code 0/1} for a binary model).
   */
  public double lossAndGradient(
      double[] w, double[][] x, int[] y, int from, int to, double[] grad) {
    Arrays.fill(grad, 0);
    int layers = sizes.length;
    double[][] act = new double[layers][];
    double[][] delta = new double[layers][];
    for (int l = 0; l < layers; l++) {
      act[l] = new double[sizes[l]];
      delta[l] = new double[sizes[l]];
    }
    double loss = 0;
    for (int i = from; i < to; i++) {
      forward(w, x[i], act);
      double[] out = act[layers - 1];
      int label = y[i];
      double[] dOut = delta[layers - 1];
      if (out.length == 1) {
        double p = out[0];
        loss -= label == 1 ? Math.log(Math.max(p, 1e-15)) : Math.log(Math.max(1 - p, 1e-15));
        dOut[0] = p - label;
      } else {
        loss -= Math.log(Math.max(out[label], 1e-15));
        for (int k = 0; k < out.length; k++) {
          dOut[k] = out[k] - (k == label ? 1 : 0);
        }
      }
      for (int l = layers - 1; l >= 1; l--) {
        int in = sizes[l - 1];
        int outs = sizes[l];
        int base = offsets[l];
        int bias = base + outs * in;
        double[] prev = act[l - 1];
        double[] d = delta[l];
        for (int o = 0; o < outs; o++) {
          double dv = d[o];
          if (dv == 0) {
            continue;
          }
          int row = base + o * in;
          for (int k = 0; k < in; k++) {
            grad[row + k] += dv * prev[k];
          }
          grad[bias + o] += dv;
        }
        if (l > 1) {
          double[] dPrev = delta[l - 1];
          Arrays.fill(dPrev, 0);
          for (int o = 0; o < outs; o++) {
            double dv = d[o];
            if (dv == 0) {
              continue;
            }
            int row = base + o * in;
            for (int k = 0; k < in; k++) {
              dPrev[k] += dv * w[row + k];
            }
          }
          for (int k = 0; k < in; k++) {
            dPrev[k] *= derivative(prev[k]);
          }
        }
      }
    }
    int m = to - from;
    for (int k = 0; k < grad.length; k++) {
      grad[k] /= m;
    }
    return loss / m;
  }

  /** Class probabilities of one row: one value (P(y = 1)) for a binary model, K for softmax. */
  public double[] predict(double[] w, double[] row) {
    double[][] act = new double[sizes.length][];
    for (int l = 0; l < sizes.length; l++) {
      act[l] = new double[sizes[l]];
    }
    forward(w, row, act);
    return act[sizes.length - 1].clone();
  }

  private void forward(double[] w, double[] row, double[][] act) {
    System.arraycopy(row, 0, act[0], 0, sizes[0]);
    int layers = sizes.length;
    for (int l = 1; l < layers; l++) {
      int in = sizes[l - 1];
      int outs = sizes[l];
      int base = offsets[l];
      int bias = base + outs * in;
      double[] prev = act[l - 1];
      double[] cur = act[l];
      for (int o = 0; o < outs; o++) {
        double z = w[bias + o];
        int r = base + o * in;
        for (int k = 0; k < in; k++) {
          z += w[r + k] * prev[k];
        }
        cur[o] = z;
      }
      if (l < layers - 1) {
        for (int o = 0; o < outs; o++) {
          cur[o] = activate(cur[o]);
        }
      } else if (outs == 1) {
        cur[0] = 1 / (1 + Math.exp(-cur[0]));
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : cur) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (int o = 0; o < outs; o++) {
          cur[o] = Math.exp(cur[o] - max);
          sum += cur[o];
        }
        for (int o = 0; o < outs; o++) {
          cur[o] /= sum;
        }
      }
    }
  }

  private double activate(double z) {
    return switch (hidden) {
      case RELU -> Math.max(0, z);
      case SIGMOID -> 1 / (1 + Math.exp(-z));
      case TANH -> Math.tanh(z);
    };
  }

  /** The activation's derivative, from its output value. */
  private double derivative(double a) {
    return switch (hidden) {
      case RELU -> a > 0 ? 1 : 0;
      case SIGMOID -> a * (1 - a);
      case TANH -> 1 - a * a;
    };
  }
}
