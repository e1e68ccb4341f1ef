package io.federa.flow.component;

import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's prediction table, FATE's columns: {@code predict_score}, {@code predict_result} and,
 * with several classes, {@code prob_<class>} each; the same for a batch predict job and for online
 * serving.
 */
public final class Predictions {
  private Predictions() {}

  /** Hetero LR's prediction table ({@link #predictions}), or a regression's (the value). */
  public static Table table(boolean regression, Table rows, double[] classes, double[][] p) {
    if (!regression) {
      return predictions(rows, classes, p);
    }
    Schema schema =
        new Schema(
            rows.schema().idName(),
            rows.hasLabel() ? "label" : null,
            List.of("predict_score", "predict_result"));
    return new Table(
        schema,
        rows.ids(),
        rows.hasLabel() ? rows.labels() : null,
        new double[][] {p[0], p[0].clone()});
  }

  /** A horizontal model's prediction table of {@code rows} ({@link #predictions}). */
  public static Table homo(Table rows, io.federa.ml.homo.HomoModel model) {
    double[][] rowProbs = model.probabilities(rows);
    double[] classes;
    double[][] p;
    if (model.classes().length == 2) {
      classes = new double[] {model.classes()[1]};
      p = new double[1][rowProbs.length];
      for (int i = 0; i < rowProbs.length; i++) {
        p[0][i] = rowProbs[i][0];
      }
    } else {
      classes = model.classes();
      p = new double[classes.length][rowProbs.length];
      for (int i = 0; i < rowProbs.length; i++) {
        for (int k = 0; k < classes.length; k++) {
          p[k][i] = rowProbs[i][k];
        }
      }
    }
    return predictions(rows, classes, p);
  }

  /** The guest's prediction table: binary models give P(y=1); several classes one column each. */
  public static Table predictions(Table rows, double[] classes, double[][] p) {
    int n = rows.rows();
    boolean binary = classes.length == 1;
    List<String> names = new ArrayList<>(List.of("predict_score", "predict_result"));
    List<double[]> columns = new ArrayList<>();
    double[] score = new double[n];
    double[] result = new double[n];
    columns.add(score);
    columns.add(result);
    if (binary) {
      for (int i = 0; i < n; i++) {
        score[i] = p[0][i];
        result[i] = p[0][i] >= 0.5 ? 1 : 0;
      }
    } else {
      double[][] normalised = new double[classes.length][n];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        int best = 0;
        for (int k = 0; k < classes.length; k++) {
          sum += p[k][i];
          if (p[k][i] > p[best][i]) {
            best = k;
          }
        }
        for (int k = 0; k < classes.length; k++) {
          normalised[k][i] = sum > 0 ? p[k][i] / sum : 1.0 / classes.length;
        }
        score[i] = normalised[best][i];
        result[i] = classes[best];
      }
      for (int k = 0; k < classes.length; k++) {
        names.add("prob_" + format(classes[k]));
        columns.add(normalised[k]);
      }
    }
    Schema schema = new Schema(rows.schema().idName(), rows.hasLabel() ? "label" : null, names);
    return new Table(
        schema,
        rows.ids(),
        rows.hasLabel() ? rows.labels() : null,
        columns.toArray(new double[0][]));
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * SecureBoost's prediction table from the guest's raw scores: P(y=1) and the class, the class
   * probabilities, or the value.
   */
  public static Table secureBoost(
      Table rows, io.federa.ml.secureboost.SecureBoostGuestModel model, double[][] raw) {
    double[][] p = io.federa.ml.tree.Targets.probabilities(model.loss(), raw);
    if (model.loss() == io.federa.ml.tree.GbdtParams.Loss.LOGISTIC) {
      return predictions(rows, new double[] {1}, p);
    }
    if (model.loss() == io.federa.ml.tree.GbdtParams.Loss.SOFTMAX) {
      return predictions(rows, model.classes(), p);
    }
    var schema =
        new io.federa.core.table.Schema(
            rows.schema().idName(),
            rows.hasLabel() ? "label" : null,
            java.util.List.of("predict_score", "predict_result"));
    return new Table(
        schema, rows.ids(), rows.hasLabel() ? rows.labels() : null, new double[][] {p[0], p[0]});
  }
}
