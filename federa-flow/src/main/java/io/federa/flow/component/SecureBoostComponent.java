package io.federa.flow.component;

import io.federa.core.table.Table;
import io.federa.flow.dsl.AlgorithmParams;
import io.federa.ml.secureboost.SecureBoostGuest;
import io.federa.ml.secureboost.SecureBoostGuestModel;
import io.federa.ml.secureboost.SecureBoostHost;
import io.federa.ml.secureboost.SecureBoostHostModel;
import io.federa.ml.secureboost.SecureBoostParams;
import io.federa.ml.tree.GbdtParams;
import java.util.List;

/**
 * HeteroSecureBoost: the guest and every host train the trees together ({@link SecureBoostGuest});
 * each party's model part is its own (the guest's trees and leaf weights, each host's splits). The
 * guest's output is the federated prediction of the training rows (classification: {@code
 * predict_score} = P(y=1); regression: the predicted value), as for hetero LR; with {@code
 * validate_data}, the validation rows are predicted too and evaluated as {@code validation_*}
 * metrics. A predict job scores new rows with a registered model.
 */
final class SecureBoostComponent {
  private SecureBoostComponent() {}

  static Outputs run(ComponentContext c) {
    SecureBoostParams params = AlgorithmParams.secureBoost(c.reader(), c.timeout());
    boolean predictJob = c.job().predict();
    switch (c.role()) {
      case "guest" -> {
        var guest =
            new SecureBoostGuest(
                    c.federation(),
                    c.key(),
                    c.hosts(),
                    params,
                    c.engine(),
                    c.tracker().iterations(0.9))
                .withCheckpoints(c.checkpoints());
        SecureBoostGuestModel model;
        Table rows;
        if (predictJob) {
          var part = (PartyModel.SecureBoostGuest) c.inputModel();
          model =
              new SecureBoostGuestModel(
                  GbdtParams.Loss.valueOf(part.loss()),
                  part.initialScore(),
                  part.features(),
                  part.trees());
          rows = c.inputData("test_data", "data");
        } else {
          rows = c.inputData("train_data", "data");
          model = guest.fit(rows);
        }
        Table out =
            scores(rows, model, guest.rawScores(model, rows, predictJob ? "predict" : "train"));
        if (predictJob) {
          c.tracker().log("predicted " + rows.rows() + " rows");
          return Outputs.data(out);
        }
        List<Integer> decrypted = guest.decryptionsPerTree();
        for (int t = 0; t < decrypted.size(); t++) {
          c.tracker()
              .metric(
                  "decryptions", model.trees().size() - decrypted.size() + t + 1, decrypted.get(t));
        }
        validate(c, guest, model);
        for (var imp : model.importance(c.federation().self())) {
          c.tracker().metric("feature_importance_split." + imp.name(), 0, imp.splits());
          c.tracker().metric("feature_importance_gain." + imp.name(), 0, imp.gain());
        }
        c.tracker()
            .log("feature importance (splits, gain): " + model.importance(c.federation().self()));
        return new Outputs(
            out,
            new PartyModel.SecureBoostGuest(
                model.loss().name(), model.initialScore(), model.featureNames(), model.trees()));
      }
      case "host" -> {
        var host = new SecureBoostHost(c.federation(), c.key(), c.guest(), params, c.engine());
        if (predictJob) {
          var part = (PartyModel.SecureBoostHost) c.inputModel();
          host.predict(
              new SecureBoostHostModel(part.features(), part.splits()),
              c.inputData("test_data", "data"),
              "predict");
          return Outputs.NONE;
        }
        Table rows = c.inputData("train_data", "data");
        SecureBoostHostModel model = host.withCheckpoints(c.checkpoints()).fit(rows);
        c.tracker().progress(0.9);
        host.predict(model, rows, "train");
        // its own features' importance stays at the host (no metric: metrics go to the initiator)
        c.tracker().logLocal("feature importance (splits per feature): " + model.splitCounts());
        if (c.hasInputData("validate_data")) {
          host.predict(model, c.inputData("validate_data"), "validate");
        }
        return new Outputs(
            null, new PartyModel.SecureBoostHost(model.featureNames(), model.splits()));
      }
      default -> {
        return Outputs.NONE;
      }
    }
  }

  /** With {@code validate_data}: the validation rows' federated scores, evaluated. */
  private static void validate(
      ComponentContext c, SecureBoostGuest guest, SecureBoostGuestModel model) {
    if (!c.hasInputData("validate_data")) {
      return;
    }
    Table rows = c.inputData("validate_data");
    Table scored = scores(rows, model, guest.rawScores(model, rows, "validate"));
    double[] score = scored.column(0);
    var metrics =
        model.loss() == GbdtParams.Loss.LOGISTIC
            ? io.federa.ml.eval.Evaluation.binary(rows.labels(), score)
            : java.util.Map.of("rmse", rmse(rows.labels(), score));
    for (var e : metrics.entrySet()) {
      c.tracker().metric("validation_" + e.getKey(), 0, e.getValue());
    }
    c.tracker().log("validation: " + metrics);
  }

  private static double rmse(double[] y, double[] p) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += (y[i] - p[i]) * (y[i] - p[i]);
    }
    return Math.sqrt(s / y.length);
  }

  /** The guest's prediction table from raw scores: P(y=1) and the class, or the value. */
  private static Table scores(Table rows, SecureBoostGuestModel model, double[] raw) {
    if (model.loss() == GbdtParams.Loss.LOGISTIC) {
      double[] p = new double[raw.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = 1 / (1 + Math.exp(-raw[i]));
      }
      return ModelComponents.predictions(rows, new double[] {1}, new double[][] {p});
    }
    var schema =
        new io.federa.core.table.Schema(
            rows.schema().idName(),
            rows.hasLabel() ? "label" : null,
            java.util.List.of("predict_score", "predict_result"));
    return new Table(
        schema, rows.ids(), rows.hasLabel() ? rows.labels() : null, new double[][] {raw, raw});
  }
}
