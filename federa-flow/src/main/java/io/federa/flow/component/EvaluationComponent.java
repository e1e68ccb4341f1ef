package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.ml.eval.BinaryCurves;
import io.federa.ml.eval.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluation at the guest (the others do nothing): FATE's binary, multi or regression metric set of
 * a model's predictions, and for binary models every curve FATE-Board draws ({@code roc_fpr/tpr},
 * and {@code curve_<name>} of {@link BinaryCurves}: KS, lift, gain, precision–recall, confusion
 * matrix by threshold), each at steps 1, 2, … for plotting. Given a second prediction table ({@code
 * data: [train, validate]}), it evaluates that too ({@code validate_<metric>}) and reports the
 * population stability index of the scores ({@code psi}).
 */
final class EvaluationComponent {
  private EvaluationComponent() {}

  /** Points of each stored curve. */
  static final int POINTS = 101;

  static Outputs run(ComponentContext c) {
    if (!c.isGuest()) {
      return Outputs.NONE;
    }
    String type = c.reader().choice("eval_type", Set.of("binary", "multi", "regression"), "binary");
    Table t = predictions(c, "data");
    report(c, type, t, "");
    if (c.hasInputData("data_1")) {
      Table v = predictions(c, "data_1");
      report(c, type, v, "validate_");
      if (!type.equals("multi")) {
        double psi = BinaryCurves.psi(score(t), score(v), 10);
        c.tracker().metric("psi", 0, psi);
        c.tracker().log(String.format("population stability index of the scores: %.4f", psi));
      }
    }
    return Outputs.NONE;
  }

  private static Table predictions(ComponentContext c, String slot) {
    Table t = c.inputData(slot);
    if (!t.hasLabel() || t.schema().indexOf("predict_score") < 0) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component()
                  + " evaluates a model's predictions: give it the data output of a trained"
                  + " component (for example hetero_lr_0.data)")
          .shareable();
    }
    return t;
  }

  private static double[] score(Table t) {
    return t.column(t.schema().indexOf("predict_score"));
  }

  private static void report(ComponentContext c, String type, Table t, String prefix) {
    Map<String, Double> metrics;
    if (type.equals("multi")) {
      List<Integer> probs = new ArrayList<>();
      List<Double> classes = new ArrayList<>();
      for (int f = 0; f < t.features(); f++) {
        String name = t.schema().featureNames().get(f);
        if (name.startsWith("prob_")) {
          probs.add(f);
          classes.add(Double.parseDouble(name.substring("prob_".length())));
        }
      }
      if (probs.isEmpty()) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                c.component() + ": eval_type multi needs a multi-class model's predictions")
            .shareable();
      }
      double[][] rowProbs = new double[t.rows()][probs.size()];
      double[] labelIndex = new double[t.rows()];
      for (int i = 0; i < t.rows(); i++) {
        for (int k = 0; k < probs.size(); k++) {
          rowProbs[i][k] = t.value(i, probs.get(k));
        }
        labelIndex[i] = classes.indexOf(t.label(i));
      }
      metrics = Evaluation.multiclass(labelIndex, rowProbs);
    } else if (type.equals("regression")) {
      metrics = Evaluation.regression(t.labels(), score(t));
    } else {
      double[] scores = score(t);
      metrics = Evaluation.binary(t.labels(), scores);
      io.federa.core.metrics.RocCurve roc = io.federa.core.metrics.Metrics.roc(t.labels(), scores);
      int points = Math.min(POINTS, roc.size());
      for (int k = 0; k < points; k++) {
        int i = points == 1 ? 0 : (int) Math.round((double) k * (roc.size() - 1) / (points - 1));
        c.tracker().metric(prefix + "roc_fpr", k + 1, roc.fpr()[i]);
        c.tracker().metric(prefix + "roc_tpr", k + 1, roc.tpr()[i]);
      }
      BinaryCurves curves = BinaryCurves.of(t.labels(), scores, POINTS);
      for (String name : BinaryCurves.NAMES) {
        for (int k = 0; k < curves.size(); k++) {
          c.tracker().metric(prefix + "curve_" + name, k + 1, curves.value(name, k));
        }
      }
    }
    for (var e : metrics.entrySet()) {
      c.tracker().metric(prefix + e.getKey(), 0, e.getValue());
    }
    c.tracker()
        .log("evaluation (" + type + (prefix.isEmpty() ? "" : ", validate") + "): " + metrics);
  }
}
