package io.federa.flow.component;

import io.federa.core.table.Table;
import io.federa.flow.dsl.AlgorithmParams;
import io.federa.ml.secureboost.SecureBoostGuest;
import io.federa.ml.secureboost.SecureBoostGuestModel;
import io.federa.ml.secureboost.SecureBoostHost;
import io.federa.ml.secureboost.SecureBoostHostModel;
import io.federa.ml.secureboost.SecureBoostParams;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.Targets;
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
        Table rows = rows(c, predictJob ? "test_data" : "train_data", "data");
        var cv = predictJob ? null : AlgorithmParams.crossValidation(c.reader());
        if (cv != null) {
          return SecureBoostCv.guest(c, forLabels(params, rows, c), rows, cv);
        }
        var guest =
            new SecureBoostGuest(
                    c.federation(),
                    c.key(),
                    c.hosts(),
                    predictJob ? params : forLabels(params, rows, c),
                    c.engine(),
                    c.tracker().iterations(0.9))
                .withCheckpoints(c.checkpoints());
        SecureBoostGuestModel model;
        if (predictJob) {
          model = ((PartyModel.SecureBoostGuest) c.inputModel()).model();
        } else {
          Table validation = c.hasInputData("validate_data") ? rows(c, "validate_data") : null;
          if (validation == null && params.earlyStopping().validates()) {
            c.tracker().log("validation_freqs without validate_data: nothing to validate");
          }
          model = guest.fit(rows, validation);
          var history = guest.validationHistory();
          history.forEach(
              (round, value) ->
                  c.tracker()
                      .metric("validation_" + params.earlyStopping().metric(), round, value));
          if (!history.isEmpty()) {
            c.tracker()
                .log(
                    "validation "
                        + params.earlyStopping().metric()
                        + " by round: "
                        + history
                        + "; the model keeps "
                        + model.trees().size() / model.dimensions()
                        + " rounds");
          }
        }
        Table out =
            Predictions.secureBoost(
                rows, model, guest.rawScores(model, rows, predictJob ? "predict" : "train"));
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
                model.loss().name(),
                model.initialScores()[0],
                model.featureNames(),
                model.trees(),
                model.classes(),
                model.dimensions() > 1 ? model.initialScores() : null,
                zeroAsMissing(c)));
      }
      case "host" -> {
        var cv = predictJob ? null : AlgorithmParams.crossValidation(c.reader());
        if (cv != null) {
          return SecureBoostCv.host(c, params, rows(c, "train_data", "data"), cv);
        }
        var host = new SecureBoostHost(c.federation(), c.key(), c.guest(), params, c.engine());
        if (predictJob) {
          var part = (PartyModel.SecureBoostHost) c.inputModel();
          host.predict(
              new SecureBoostHostModel(part.features(), part.splits()),
              rows(c, "test_data", "data"),
              "predict");
          return Outputs.NONE;
        }
        Table rows = rows(c, "train_data", "data");
        SecureBoostHostModel model =
            host.withCheckpoints(c.checkpoints())
                .fit(rows, c.hasInputData("validate_data") ? rows(c, "validate_data") : null);
        c.tracker().progress(0.9);
        host.predict(model, rows, "train");
        // its own features' importance stays at the host (no metric: metrics go to the initiator)
        c.tracker().logLocal("feature importance (splits per feature): " + model.splitCounts());
        if (c.hasInputData("validate_data")) {
          host.predict(model, rows(c, "validate_data"), "validate");
        }
        return new Outputs(
            null,
            new PartyModel.SecureBoostHost(model.featureNames(), model.splits(), zeroAsMissing(c)));
      }
      default -> {
        return Outputs.NONE;
      }
    }
  }

  /**
   * A party's input rows: for training, missing feature values only with {@code use_missing} true
   * (FATE's name; they then get their own bin), else refused by column; a predict job's rows may
   * miss values, which every split routes (left or right as trained; right where training had
   * none).
   */
  static Table rows(ComponentContext c, String... slots) {
    boolean zeros = zeroAsMissing(c);
    Table t =
        c.job().predict() || zeros || c.reader().bool("use_missing", false)
            ? c.inputDataWithMissing(slots)
            : c.inputData(slots);
    return zeros ? zerosAsMissing(t) : t;
  }

  /**
   * FATE's {@code zero_as_missing} (sparse data: a zero means "not there"): from the job's
   * parameters when training, from the model part when predicting; it implies use_missing.
   */
  private static boolean zeroAsMissing(ComponentContext c) {
    if (!c.job().predict()) {
      return c.reader().bool("zero_as_missing", false);
    }
    PartyModel part = c.inputModel();
    return part instanceof PartyModel.SecureBoostGuest g
        ? g.zeroAsMissing()
        : part instanceof PartyModel.SecureBoostHost h && h.zeroAsMissing();
  }

  /** {@code t} with every zero feature value read as missing. */
  private static Table zerosAsMissing(Table t) {
    double[][] columns = new double[t.features()][];
    for (int f = 0; f < columns.length; f++) {
      columns[f] = t.column(f).clone();
      for (int i = 0; i < columns[f].length; i++) {
        if (columns[f][i] == 0) {
          columns[f][i] = Double.NaN;
        }
      }
    }
    return new Table(t.schema(), t.ids(), t.hasLabel() ? t.labels() : null, columns);
  }

  /** With {@code validate_data}: the validation rows' federated scores, evaluated. */
  private static void validate(
      ComponentContext c, SecureBoostGuest guest, SecureBoostGuestModel model) {
    if (!c.hasInputData("validate_data")) {
      return;
    }
    Table rows = rows(c, "validate_data");
    var metrics = metrics(model, rows.labels(), guest.rawScores(model, rows, "validate"));
    for (var e : metrics.entrySet()) {
      c.tracker().metric("validation_" + e.getKey(), 0, e.getValue());
    }
    c.tracker().log("validation: " + metrics);
  }

  /** The evaluation of raw scores against {@code labels}: binary, multi-class or regression. */
  static java.util.Map<String, Double> metrics(
      SecureBoostGuestModel model, double[] labels, double[][] raw) {
    double[][] p = Targets.probabilities(model.loss(), raw);
    return switch (model.loss()) {
      case LOGISTIC -> io.federa.ml.eval.Evaluation.binary(labels, p[0]);
      case SOFTMAX -> multiclass(labels, model.classes(), p);
      case SQUARED -> java.util.Map.of("rmse", rmse(labels, p[0]));
    };
  }

  /** Multi-class metrics from {@code p[class][row]}: rows of class probabilities, class indexes. */
  private static java.util.Map<String, Double> multiclass(
      double[] labels, double[] classes, double[][] p) {
    double[][] rows = new double[labels.length][classes.length];
    double[] index = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      for (int k = 0; k < classes.length; k++) {
        rows[i][k] = p[k][i];
      }
      index[i] = java.util.Arrays.binarySearch(classes, labels[i]);
    }
    return io.federa.ml.eval.Evaluation.multiclass(index, rows);
  }

  private static double rmse(double[] y, double[] p) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += (y[i] - p[i]) * (y[i] - p[i]);
    }
    return Math.sqrt(s / y.length);
  }

  /**
   * The parameters for the guest's labels: a classification task whose labels hold more than two
   * classes boosts the softmax, one tree per class per round (FATE decides by the labels too: its
   * {@code cross_entropy} is binary or multi-class).
   */
  static SecureBoostParams forLabels(SecureBoostParams params, Table rows, ComponentContext c) {
    if (params.boosting().loss() != GbdtParams.Loss.LOGISTIC
        || java.util.Arrays.stream(rows.labels()).distinct().count() <= 2) {
      return params;
    }
    c.tracker().log("the labels hold more than two classes: softmax, one tree per class per round");
    return params.withBoosting(params.boosting().withLoss(GbdtParams.Loss.SOFTMAX));
  }
}
