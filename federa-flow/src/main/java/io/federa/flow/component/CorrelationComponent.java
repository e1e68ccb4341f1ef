package io.federa.flow.component;

import io.federa.core.table.Table;
import io.federa.flow.dsl.FeatureParams;
import io.federa.ml.feature.HeteroPearsonGuest;
import io.federa.ml.feature.HeteroPearsonHost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FATE's HeteroPearson (also named FeatureCorrelation here): the Pearson correlation of every guest
 * column with every host column under the guest's additive key ({@link HeteroPearsonGuest}), both
 * parties getting the cross matrix, and each party's own columns' correlations computed at home.
 * The guest reports {@code corr.<column>.host_<party>_<i>}; a host keeps its view ({@code
 * corr.guest_<i>.<column>}) in its own tracking. The data passes through.
 */
final class CorrelationComponent {
  private CorrelationComponent() {}

  static Outputs run(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputData("data");
    FeatureParams.Pearson p = FeatureParams.pearson(c.reader());
    boolean crossParties = p.crossParties();
    var key = p.key();
    List<Integer> cols = p.columns().of(in.schema().featureNames(), c.component());
    Table data = FeatureComponents.select(in, cols, false);
    List<String> names = data.schema().featureNames();
    Map<String, double[][]> cross = new LinkedHashMap<>();
    double[][] local;
    if (!crossParties || c.hosts().isEmpty()) {
      local = io.federa.ml.feature.HeteroPearsonGuest.localOnly(data);
    } else if (c.isGuest()) {
      var result =
          new HeteroPearsonGuest(c.federation(), c.key(), c.hosts(), key, c.timeout(), c.engine())
              .fit(data);
      local = result.local();
      result
          .cross()
          .forEach(
              (party, m) -> {
                cross.put(String.valueOf(party), m);
                for (int a = 0; a < m.length; a++) {
                  for (int b = 0; b < m[a].length; b++) {
                    c.tracker()
                        .metric("corr." + names.get(a) + ".host_" + party + "_" + b, 0, m[a][b]);
                  }
                }
              });
    } else {
      var result =
          new HeteroPearsonHost(c.federation(), c.key(), c.guest(), key, c.timeout(), c.engine())
              .fit(data);
      local = result.local();
      cross.put(String.valueOf(c.guest()), result.cross());
      for (int a = 0; a < result.cross().length; a++) {
        for (int b = 0; b < names.size(); b++) {
          c.tracker().metricLocal("corr.guest_" + a + "." + names.get(b), 0, result.cross()[a][b]);
        }
      }
    }
    c.tracker().log("correlations of " + names.size() + " columns");
    return new Outputs(in, new PartyModel.Correlation(names, local, cross));
  }
}
