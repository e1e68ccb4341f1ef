package io.federa.flow.component;

import io.federa.core.table.Table;
import io.federa.federation.MessageKey;
import io.federa.ml.CrossValidation;
import io.federa.ml.TrainingListener;
import io.federa.ml.secureboost.SecureBoostGuest;
import io.federa.ml.secureboost.SecureBoostGuestModel;
import io.federa.ml.secureboost.SecureBoostHost;
import io.federa.ml.secureboost.SecureBoostParams;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HeteroSecureBoost with {@code cv_param.need_cv}: K folds of the aligned rows (the same at every
 * party, {@link CrossValidation}); per fold the parties train on the other folds (messages under
 * the component's name and {@code _fold<k>}) and score the held-out fold together, as a predict job
 * would. The guest reports each fold's metrics ({@code cv_<metric>}, step = fold) and their mean
 * (step 0), and outputs every row's out-of-fold prediction, for an Evaluation downstream. No model
 * is kept, as in FATE.
 */
final class SecureBoostCv {
  private SecureBoostCv() {}

  static Outputs guest(
      ComponentContext c, SecureBoostParams params, Table rows, CrossValidation cv) {
    int[] fold = cv.assign(rows.rows());
    double[][] out = null;
    SecureBoostGuestModel last = null;
    Map<String, Double> sums = new LinkedHashMap<>();
    for (int k = 0; k < cv.folds(); k++) {
      int[] held = CrossValidation.rows(fold, k, true);
      Table heldOut = rows.selectRows(held);
      var guest =
          new SecureBoostGuest(
              c.federation(), key(c, k), c.hosts(), params, c.engine(), TrainingListener.NONE);
      SecureBoostGuestModel model =
          guest.fit(rows.selectRows(CrossValidation.rows(fold, k, false)));
      double[][] raw = guest.rawScores(model, heldOut, "held_out");
      if (out == null) {
        out = new double[raw.length][rows.rows()];
      }
      for (int d = 0; d < raw.length; d++) {
        for (int j = 0; j < held.length; j++) {
          out[d][held[j]] = raw[d][j];
        }
      }
      var metrics = SecureBoostComponent.metrics(model, heldOut.labels(), raw);
      for (var e : metrics.entrySet()) {
        c.tracker().metric("cv_" + e.getKey(), k + 1, e.getValue());
        sums.merge(e.getKey(), e.getValue(), Double::sum);
      }
      c.tracker().log("cross-validation fold " + (k + 1) + " of " + cv.folds() + ": " + metrics);
      c.tracker().progress(0.9 * (k + 1) / cv.folds());
      last = model;
    }
    for (var e : sums.entrySet()) {
      c.tracker().metric("cv_" + e.getKey(), 0, e.getValue() / cv.folds());
    }
    return Outputs.data(Predictions.secureBoost(rows, last, out));
  }

  static Outputs host(
      ComponentContext c, SecureBoostParams params, Table rows, CrossValidation cv) {
    int[] fold = cv.assign(rows.rows());
    for (int k = 0; k < cv.folds(); k++) {
      var host = new SecureBoostHost(c.federation(), key(c, k), c.guest(), params, c.engine());
      var model = host.fit(rows.selectRows(CrossValidation.rows(fold, k, false)));
      host.predict(model, rows.selectRows(CrossValidation.rows(fold, k, true)), "held_out");
      c.tracker().progress(0.9 * (k + 1) / cv.folds());
    }
    return Outputs.NONE;
  }

  /** Fold {@code k}'s messages: the component's key under its own name. */
  private static MessageKey key(ComponentContext c, int k) {
    MessageKey base = c.key();
    return MessageKey.of(base.jobId(), base.component() + "_fold" + k, base.tag());
  }
}
