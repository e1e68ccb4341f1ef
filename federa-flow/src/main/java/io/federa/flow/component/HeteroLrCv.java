package io.federa.flow.component;

import io.federa.core.table.Table;
import io.federa.federation.MessageKey;
import io.federa.ml.CrossValidation;
import io.federa.ml.TrainingListener;
import io.federa.ml.eval.Evaluation;
import io.federa.ml.hetero.HeteroLrArbiter;
import io.federa.ml.hetero.HeteroLrGuest;
import io.federa.ml.hetero.HeteroLrGuestModel;
import io.federa.ml.hetero.HeteroLrHost;
import io.federa.ml.hetero.HeteroLrParams;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HeteroLR (and HeteroLinR) with {@code cv_param.need_cv}: K folds of the aligned rows (the same at
 * every party, {@link CrossValidation}, no message); per fold guest, hosts and arbiter train on the
 * other folds (messages under the component's name and {@code _fold<k>}) and score the held-out
 * fold together. The guest reports each fold's metrics ({@code cv_<metric>}, step = fold) and their
 * mean (step 0), and outputs every row's out-of-fold prediction. No model is kept, as in FATE.
 */
final class HeteroLrCv {
  private HeteroLrCv() {}

  static Outputs run(ComponentContext c, HeteroLrParams params, CrossValidation cv) {
    if (c.isArbiter()) {
      for (int k = 0; k < cv.folds(); k++) {
        new HeteroLrArbiter(c.federation(), key(c, k), c.guest(), c.hosts(), params)
            .fit(TrainingListener.NONE);
        c.tracker().progress((k + 1.0) / cv.folds());
      }
      return Outputs.NONE;
    }
    Table rows = c.inputData("train_data", "data");
    int[] fold = cv.assign(rows.rows());
    if (c.isHost()) {
      for (int k = 0; k < cv.folds(); k++) {
        var host =
            new HeteroLrHost(
                c.federation(), key(c, k), c.guest(), c.topology(), params, c.engine());
        var w = host.fit(rows.selectRows(CrossValidation.rows(fold, k, false)));
        host.predict(rows.selectRows(CrossValidation.rows(fold, k, true)), w, "held_out");
        c.tracker().progress((k + 1.0) / cv.folds());
      }
      return Outputs.NONE;
    }
    double[][] out = null;
    double[] classes = null;
    Map<String, Double> sums = new LinkedHashMap<>();
    for (int k = 0; k < cv.folds(); k++) {
      int[] held = CrossValidation.rows(fold, k, true);
      Table heldOut = rows.selectRows(held);
      var guest =
          new HeteroLrGuest(c.federation(), key(c, k), c.hosts(), c.topology(), params, c.engine());
      HeteroLrGuestModel model =
          guest.fit(rows.selectRows(CrossValidation.rows(fold, k, false)), TrainingListener.NONE);
      double[][] p = guest.probabilities(heldOut, model, "held_out");
      classes = model.classes();
      if (out == null) {
        out = new double[p.length][rows.rows()];
      }
      for (int d = 0; d < p.length; d++) {
        for (int j = 0; j < held.length; j++) {
          out[d][held[j]] = p[d][j];
        }
      }
      Map<String, Double> metrics =
          params.regression()
              ? Evaluation.regression(heldOut.labels(), p[0])
              : classes.length == 1
                  ? Evaluation.binary(heldOut.labels(), p[0])
                  : Evaluation.multiclass(
                      labelIndex(heldOut.labels(), classes),
                      rowsOf(Predictions.predictions(heldOut, classes, p)));
      for (var e : metrics.entrySet()) {
        c.tracker().metric("cv_" + e.getKey(), k + 1, e.getValue());
        sums.merge(e.getKey(), e.getValue(), Double::sum);
      }
      c.tracker().log("cross-validation fold " + (k + 1) + " of " + cv.folds() + ": " + metrics);
      c.tracker().progress((k + 1.0) / cv.folds());
    }
    for (var e : sums.entrySet()) {
      c.tracker().metric("cv_" + e.getKey(), 0, e.getValue() / cv.folds());
    }
    return Outputs.data(Predictions.table(params.regression(), rows, classes, out));
  }

  private static double[] labelIndex(double[] labels, double[] classes) {
    double[] out = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = java.util.Arrays.binarySearch(classes, labels[i]);
    }
    return out;
  }

  /** The normalised class probabilities of a prediction table, {@code [row][class]}. */
  private static double[][] rowsOf(Table scored) {
    int first = scored.schema().featureNames().indexOf("predict_result") + 1;
    double[][] out = new double[scored.rows()][scored.features() - first];
    for (int i = 0; i < out.length; i++) {
      for (int k = 0; k < out[i].length; k++) {
        out[i][k] = scored.value(i, first + k);
      }
    }
    return out;
  }

  /** Fold {@code k}'s messages: the component's key under its own name. */
  private static MessageKey key(ComponentContext c, int k) {
    MessageKey base = c.key();
    return MessageKey.of(base.jobId(), base.component() + "_fold" + k, base.tag());
  }
}
