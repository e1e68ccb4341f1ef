package io.federa.ml.eval;

import io.federa.core.metrics.ConfusionMatrix;
import io.federa.core.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** The standard metric set of each kind of task, in a fixed order, as FATE's Evaluation reports. */
public final class Evaluation {
  private Evaluation() {}

  /** AUC, KS, accuracy, precision, recall and F1 at threshold 0.5, log loss. */
  public static Map<String, Double> binary(double[] labels, double[] probabilities) {
    var m = new LinkedHashMap<String, Double>();
    m.put("auc", Metrics.auc(labels, probabilities));
    m.put("ks", Metrics.ks(labels, probabilities));
    ConfusionMatrix cm = Metrics.binaryConfusion(labels, probabilities, 0.5);
    m.put("accuracy", cm.accuracy());
    m.put("precision", cm.precision(1));
    m.put("recall", cm.recall(1));
    m.put("f1", cm.f1(1));
    m.put("log_loss", Metrics.logLoss(labels, probabilities));
    return m;
  }

  /** Accuracy, macro precision, recall and F1, log loss. */
  public static Map<String, Double> multiclass(double[] labels, double[][] probabilities) {
    int k = probabilities.length == 0 ? 0 : probabilities[0].length;
    int[] predicted = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (probabilities[i][c] > probabilities[i][best]) {
          best = c;
        }
      }
      predicted[i] = best;
    }
    ConfusionMatrix cm = Metrics.confusion(labels, predicted, k);
    var m = new LinkedHashMap<String, Double>();
    m.put("accuracy", cm.accuracy());
    m.put("macro_precision", cm.macroPrecision());
    m.put("macro_recall", cm.macroRecall());
    m.put("macro_f1", cm.macroF1());
    m.put("log_loss", Metrics.logLoss(labels, probabilities));
    return m;
  }

  /** RMSE, MSE, MAE, R². */
  public static Map<String, Double> regression(double[] labels, double[] predictions) {
    var m = new LinkedHashMap<String, Double>();
    m.put("rmse", Metrics.rmse(labels, predictions));
    m.put("mse", Metrics.mse(labels, predictions));
    m.put("mae", Metrics.mae(labels, predictions));
    m.put("r2", Metrics.r2(labels, predictions));
    return m;
  }
}
