package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.metrics.Metrics;
import io.federa.ml.tree.Targets;
import java.util.Set;

/**
 * Validation during training (FATE's {@code validation_freqs}, {@code early_stopping_rounds},
 * {@code metrics}): every {@code freq} rounds (and after the last) the guest scores the validation
 * rows through the trees grown since the last validation, with the hosts' help as in prediction,
 * and computes {@code metric}; after {@code rounds} validations without improvement, training stops
 * and the model keeps the rounds up to the best validation. {@code freq} 0: no validation.
 *
 * @param metric {@code loss} (the objective's, the default), {@code auc} (binary), {@code accuracy}
 *     (classification) or {@code rmse} (regression)
 */
public record EarlyStopping(int freq, int rounds, String metric) {
  /** The metrics that can drive validation. */
  public static final Set<String> METRICS = Set.of("loss", "auc", "accuracy", "rmse");

  /** No validation during training. */
  public static final EarlyStopping NONE = new EarlyStopping(0, 0, "loss");

  public EarlyStopping {
    if (freq < 0 || rounds < 0 || (rounds > 0 && freq == 0) || !METRICS.contains(metric)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "early stopping needs validation_freqs ≥ 1 (early_stopping_rounds ≥ 1 stops after that"
              + " many validations without improvement) and a metric among "
              + METRICS
              + "; got freq "
              + freq
              + ", rounds "
              + rounds
              + ", metric "
              + metric);
    }
  }

  public boolean validates() {
    return freq > 0;
  }

  /** Whether round {@code round} (from 1) of {@code total} is validated. */
  boolean at(int round, int total) {
    return validated(round, total, freq);
  }

  /** Whether round {@code round} of {@code total} is validated every {@code freq} (0: never). */
  static boolean validated(int round, int total, int freq) {
    return freq > 0 && (round % freq == 0 || round == total);
  }

  /** Whether a larger value of the metric is better. */
  boolean higherIsBetter() {
    return metric.equals("auc") || metric.equals("accuracy");
  }

  /** The metric of the validation rows' raw scores {@code raw[dimension][row]}. */
  double measure(Targets validation, double[] y, double[][] raw) {
    double[][] p = Targets.probabilities(validation.loss(), raw);
    return switch (metric) {
      case "loss" -> validation.loss(raw);
      case "auc" -> {
        if (p.length != 1 || validation.loss() != io.federa.ml.tree.GbdtParams.Loss.LOGISTIC) {
          throw new FederaException(
              ErrorCode.INVALID_ARGUMENT, "the auc metric is for binary classification");
        }
        yield Metrics.auc(y, p[0]);
      }
      case "accuracy" -> accuracy(validation, y, p);
      case "rmse" -> {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
          s += (p[0][i] - y[i]) * (p[0][i] - y[i]);
        }
        yield Math.sqrt(s / y.length);
      }
      default -> throw new IllegalStateException(metric);
    };
  }

  private static double accuracy(Targets validation, double[] y, double[][] p) {
    double[] classes = validation.classes();
    int correct = 0;
    for (int i = 0; i < y.length; i++) {
      double predicted;
      if (classes == null) {
        predicted = p[0][i] >= 0.5 ? 1 : 0;
      } else {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
          best = p[k][i] > p[best][i] ? k : best;
        }
        predicted = classes[best];
      }
      correct += predicted == y[i] ? 1 : 0;
    }
    return correct / (double) y.length;
  }
}
