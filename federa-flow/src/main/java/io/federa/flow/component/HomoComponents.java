package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.flow.dsl.AlgorithmParams;
import io.federa.ml.homo.HomoArbiter;
import io.federa.ml.homo.HomoModel;
import io.federa.ml.homo.HomoParams;
import io.federa.ml.homo.HomoParty;
import java.util.ArrayList;
import java.util.List;

/**
 * HomoLR and HomoNN: the guest and the hosts each train on their own rows (same features), the
 * arbiter aggregates every round (FedAvg, FedProx or a FedOpt server); without an arbiter in the
 * job the parties average over a ring. Each party's output is the prediction of its own rows.
 */
final class HomoComponents {
  private HomoComponents() {}

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
      HomoParams params = AlgorithmParams.homo(c.reader(), c.timeout(), network, 0);
      var r =
          new HomoArbiter(c.federation(), c.key(), parties, params)
              .fit(c.tracker().iterations(1.0));
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
                  + c.role())
          .shareable();
    }
    HomoParams params = AlgorithmParams.homo(c.reader(), c.timeout(), network, data.rows());
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
              first
                  ? c.tracker().iterations(1.0)
                  : (round, planned, loss) -> c.tracker().progress((double) round / planned));
    }
    var part =
        new PartyModel.Homo(
            model.network().sizes(),
            model.classes(),
            model.weights(),
            model.network().hidden().name(),
            data.schema().featureNames());
    return new Outputs(Predictions.homo(data, model), part);
  }
}
