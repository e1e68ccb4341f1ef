package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.flow.dsl.AlgorithmParams;
import io.federa.ml.hetero.Exposure;
import io.federa.ml.hetero.HeteroLrArbiter;
import io.federa.ml.hetero.HeteroLrGuest;
import io.federa.ml.hetero.HeteroLrGuestModel;
import io.federa.ml.hetero.HeteroLrHost;
import io.federa.ml.hetero.HeteroLrParams;

/** HeteroLR. */
final class ModelComponents {
  private ModelComponents() {}

  /**
   * Vertical logistic regression: each party keeps its own weights; the guest's output is the
   * federated prediction of the training rows (id, label, predict_score, predict_result and, for
   * several classes, one probability column per class).
   */
  static Outputs heteroLr(ComponentContext c) {
    return heteroLinear(c, AlgorithmParams.heteroLr(c.reader(), c.timeout()));
  }

  /**
   * Vertical linear regression (FATE's HeteroLinR, with an arbiter): hetero LR's protocol with the
   * exact residual {@code z − y} and the squared loss; the guest's output is the predicted value.
   */
  static Outputs heteroLinR(ComponentContext c) {
    if (c.arbiter().isEmpty()) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component() + ": HeteroLinR needs an arbiter (as in FATE); add one to conf.role")
          .shareable();
    }
    return heteroLinear(
        c, AlgorithmParams.heteroLinear(c.reader(), c.timeout(), HeteroLrParams.Objective.LINEAR));
  }

  /**
   * Vertical Poisson regression (FATE's HeteroPoisson, with an arbiter and one host): the log-link
   * mean exp(z) of a count label, residual exact; the guest's output is the predicted mean.
   */
  static Outputs heteroPoisson(ComponentContext c) {
    if (c.arbiter().isEmpty() || c.hosts().size() != 1) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component()
                  + ": HeteroPoisson needs an arbiter and exactly one host (as in FATE); give"
                  + " conf.role one of each")
          .shareable();
    }
    return heteroLinear(
        c, AlgorithmParams.heteroLinear(c.reader(), c.timeout(), HeteroLrParams.Objective.POISSON));
  }

  private static Outputs heteroLinear(ComponentContext c, HeteroLrParams params) {
    if (c.job().predict() || c.inputModel() != null) { // a model given: predict with it
      return heteroLrPredict(c, params);
    }
    var cv = AlgorithmParams.crossValidation(c.reader());
    if (cv != null) {
      return HeteroLrCv.run(c, params, cv);
    }
    switch (c.role()) {
      case "guest" -> {
        Table rows = c.inputData("train_data", "data");
        String exposure = exposureColumn(c, params);
        Exposure e = exposure == null ? new Exposure(rows, null) : Exposure.of(rows, exposure);
        var guest =
            new HeteroLrGuest(c.federation(), c.key(), c.hosts(), c.topology(), params, c.engine())
                .withCheckpoints(c.checkpoints());
        HeteroLrGuestModel model =
            guest.fit(e.features(), e.offset(), c.tracker().iterations(0.95));
        double[][] p = guest.probabilities(e.features(), e.offset(), model, "train");
        var part =
            new PartyModel.HeteroLrGuest(
                model.classes(),
                e.features().schema().featureNames(),
                model.weights(),
                model.intercepts(),
                exposure);
        return new Outputs(Predictions.table(params.regression(), rows, model.classes(), p), part);
      }
      case "host" -> {
        Table rows = c.inputData("train_data", "data");
        var host =
            new HeteroLrHost(c.federation(), c.key(), c.guest(), c.topology(), params, c.engine())
                .withCheckpoints(c.checkpoints());
        var model = host.fit(rows);
        c.tracker().progress(0.95);
        host.predict(rows, model, "train");
        return new Outputs(
            null,
            new PartyModel.HeteroLrHost(
                rows.schema().featureNames(), model.weights(), model.shifts()));
      }
      case "arbiter" -> {
        var arbiter =
            new HeteroLrArbiter(c.federation(), c.key(), c.guest(), c.hosts(), params)
                .withCheckpoints(c.checkpoints());
        arbiter.fit(c.tracker().iterations(1.0));
        return Outputs.NONE;
      }
      default -> throw new IllegalStateException(c.role());
    }
  }

  /**
   * A predict job: the trained model's parts (each party its own) score new rows federatedly; the
   * guest's output is the prediction table.
   */
  private static Outputs heteroLrPredict(ComponentContext c, HeteroLrParams params) {
    PartyModel part = c.inputModel();
    switch (c.role()) {
      case "guest" -> {
        Table rows = c.inputData("test_data", "data");
        var trained = (PartyModel.HeteroLrGuest) part;
        double[] classes = trained.classes();
        var model = new HeteroLrGuestModel(classes, trained.weights(), trained.intercepts());
        var guest =
            new HeteroLrGuest(c.federation(), c.key(), c.hosts(), c.topology(), params, c.engine());
        Exposure e =
            trained.exposure() == null
                ? new Exposure(rows, null)
                : Exposure.of(rows, trained.exposure());
        double[][] p = guest.probabilities(e.features(), e.offset(), model, "predict");
        c.tracker().log("predicted " + rows.rows() + " rows");
        return Outputs.data(Predictions.table(params.regression(), rows, classes, p));
      }
      case "host" -> {
        Table rows = c.inputData("test_data", "data");
        new HeteroLrHost(c.federation(), c.key(), c.guest(), c.topology(), params, c.engine())
            .predict(rows, ((PartyModel.HeteroLrHost) part).model(), "predict");
        return Outputs.NONE;
      }
      default -> {
        return Outputs.NONE;
      }
    }
  }

  /** HeteroPoisson's {@code exposure_colname} (FATE's name), else null. */
  private static String exposureColumn(ComponentContext c, HeteroLrParams params) {
    return params.objective() == HeteroLrParams.Objective.POISSON
        ? c.reader().text("exposure_colname", null)
        : null;
  }
}
