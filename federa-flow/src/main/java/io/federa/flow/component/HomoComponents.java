package io.federa.flow.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.ml.homo.HomoArbiter;
import io.federa.ml.homo.HomoModel;
import io.federa.ml.homo.HomoParams;
import io.federa.ml.homo.HomoParty;
import io.federa.ml.homo.Mlp;
import io.federa.ml.homo.ServerOptimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HomoLR and HomoNN: the guest and the hosts each train on their own rows (same features), the
 * arbiter aggregates every round (FedAvg, FedProx or a FedOpt server); without an arbiter in the
 * job the parties average over a ring. Each party's output is the prediction of its own rows.
 */
final class HomoComponents {
  private HomoComponents() {}

  /** FATE's HomoLR parameters (and Federa's additions) as Federa's; {@code rows}: local rows. */
  static HomoParams params(JsonNode p, Duration timeout, boolean network, int rows) {
    HomoParams d = HomoParams.defaults();
    String strategy = p.path("strategy").asText("fedavg").toLowerCase(Locale.ROOT);
    ServerOptimizer.Kind server =
        switch (strategy) {
          case "fedavg", "fedprox" -> ServerOptimizer.Kind.FEDAVG;
          case "fedadam" -> ServerOptimizer.Kind.FEDADAM;
          case "fedyogi" -> ServerOptimizer.Kind.FEDYOGI;
          case "fedadagrad" -> ServerOptimizer.Kind.FEDADAGRAD;
          default ->
              throw new FederaException(
                  ErrorCode.INVALID_ARGUMENT,
                  "strategy '"
                      + strategy
                      + "': use fedavg, fedprox, fedadam, fedyogi or fedadagrad");
        };
    double mu = p.path("mu").asDouble(strategy.equals("fedprox") ? 0.01 : 0);
    String optimizer = p.path("optimizer").asText("adam").toUpperCase(Locale.ROOT);
    int batch = p.path("batch_size").asInt(d.batchSize());
    boolean l2 = p.path("penalty").asText("l2").equalsIgnoreCase("l2");
    int[] hidden = new int[0];
    if (network) {
      JsonNode layers = p.path("hidden_layers");
      hidden = new int[layers.size()];
      for (int i = 0; i < hidden.length; i++) {
        hidden[i] = layers.get(i).asInt();
      }
    }
    return new HomoParams(
        p.path("max_iter").asInt(d.rounds()),
        p.path("local_epochs").asInt(p.path("aggregate_iters").asInt(1)),
        batch == -1 ? Math.max(1, rows) : batch,
        p.path("learning_rate").asDouble(d.learningRate()),
        HomoParams.Optimizer.valueOf(optimizer.equals("SGD") ? "SGD" : optimizer),
        l2 ? p.path("alpha").asDouble(d.alpha()) : 0,
        mu,
        server,
        p.path("server_learning_rate").asDouble(d.serverLearningRate()),
        1.0,
        1,
        d.roundDeadline(),
        hidden,
        Mlp.Activation.valueOf(p.path("activation").asText("relu").toUpperCase(Locale.ROOT)),
        d.seed(),
        timeout);
  }

  static Outputs homoLr(ComponentContext c) {
    return run(c, false);
  }

  static Outputs homoNn(ComponentContext c) {
    return run(c, true);
  }

  private static Outputs run(ComponentContext c, boolean network) {
    List<Integer> parties = new ArrayList<>(c.parties("guest"));
    parties.addAll(c.hosts());
    if (c.isArbiter()) {
      HomoParams params = params(c.params(), c.timeout(), network, 0);
      HomoArbiter.Result r =
          new HomoArbiter(c.federation(), c.key(), parties, params)
              .fit(
                  (round, planned, loss) -> {
                    c.tracker().metric("loss", round, loss);
                    c.tracker().progress((double) round / planned);
                  });
      r.missed()
          .forEach(
              (party, rounds) -> c.tracker().log("party " + party + " missed rounds " + rounds));
      return Outputs.NONE;
    }
    Table data = c.inputData("train_data", "data");
    if (!data.hasLabel()) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          c.component()
              + ": horizontal training needs labels at every party; set with_label true for the "
              + c.role());
    }
    HomoParams params = params(c.params(), c.timeout(), network, data.rows());
    var party = new HomoParty(c.federation(), c.key(), params);
    HomoModel model;
    if (c.arbiter().isPresent()) {
      model = party.fit(data, c.arbiter().get());
    } else {
      boolean first = parties.get(0) == c.self();
      model =
          party.fitRing(
              data,
              parties,
              (round, planned, loss) -> {
                if (first) {
                  c.tracker().metric("loss", round, loss);
                }
                c.tracker().progress((double) round / planned);
              });
    }
    double[][] rowProbs = model.probabilities(data);
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
    var part = new PartyModel.Homo(model.network().sizes(), model.classes(), model.weights());
    return new Outputs(ModelComponents.predictions(data, classes, p), part);
  }
}
