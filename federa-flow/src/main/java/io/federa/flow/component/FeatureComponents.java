package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.flow.dsl.FeatureParams;
import io.federa.ml.feature.BinEdges;
import io.federa.ml.feature.BinningParams;
import io.federa.ml.feature.ColumnStatistics;
import io.federa.ml.feature.FeatureBins;
import io.federa.ml.feature.HeteroBinningGuest;
import io.federa.ml.feature.HeteroBinningHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DataStatistics and HeteroFeatureBinning: what a credit-scoring pipeline learns of its features
 * before it trains. Statistics stay with the party whose columns they describe; binning's WOE and
 * IV of every party's features are the guest's ({@link HeteroBinningGuest}).
 */
final class FeatureComponents {
  private FeatureComponents() {}

  /**
   * Each party's statistics of its own columns, no message sent: its model part, and metrics kept
   * in its own node's tracking ({@code <column>.<statistic>}) — never reported to the initiator.
   * The data passes through.
   */
  static Outputs statistics(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    List<String> asked = FeatureParams.statistics(c.reader());
    List<Integer> cols =
        FeatureParams.columns(c.reader(), "column_indexes", "column_names")
            .of(in.schema().featureNames(), c.component());
    Map<String, Map<String, Double>> stats =
        ColumnStatistics.of(select(in, cols, false), asked, c.engine());
    Map<String, Map<String, Double>> kept = new LinkedHashMap<>();
    for (var column : stats.entrySet()) {
      Map<String, Double> finite = new LinkedHashMap<>();
      for (var s : column.getValue().entrySet()) {
        if (Double.isFinite(s.getValue())) {
          finite.put(s.getKey(), s.getValue());
          c.tracker().metricLocal(column.getKey() + "." + s.getKey(), 0, s.getValue());
        }
      }
      kept.put(column.getKey(), finite);
    }
    c.tracker().log("statistics of " + stats.size() + " columns (kept at this party)");
    return new Outputs(in, new PartyModel.Statistics(kept));
  }

  /**
   * Bins the chosen columns ({@code bin_indexes}/{@code bin_names}; all by default) at every party,
   * the guest's labels encrypted for the hosts' WOE and IV; the output replaces the transformed
   * columns by bin index or WOE. With a trained model (a predict job, or {@code model} input) it
   * only transforms: as the model says, or as its own {@code transform_param} says when given
   * (FATE's second binning component that turns the selected columns into WOE).
   */
  static Outputs binning(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    if (c.inputModel() != null) {
      if (!(c.inputModel() instanceof PartyModel.Binning trained)) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT, c.component() + ": its model input is not a binning")
            .shareable();
      }
      if (c.params().has("transform_param")) { // this component's transform of the trained bins
        FeatureParams.Transform t = FeatureParams.transform(c.reader(), c.role());
        List<String> names = in.schema().featureNames();
        List<String> cols = new ArrayList<>();
        for (int f : t.columns().of(names, c.component() + ".transform_param")) {
          if (trained.features().contains(names.get(f))) {
            cols.add(names.get(f));
          }
        }
        trained =
            new PartyModel.Binning(
                trained.method(),
                trained.features(),
                trained.splitPoints(),
                trained.missingBin(),
                t.type(),
                cols,
                trained.classes(),
                trained.bins(),
                trained.hosts());
        trained.check(c.component() + "'s transform");
      }
      return new Outputs(RowTransforms.binning(in, trained), trained);
    }
    BinningParams params = FeatureParams.binning(c.reader(), c.timeout());
    FeatureParams.Transform transform = FeatureParams.transform(c.reader(), c.role());
    List<String> names = in.schema().featureNames();
    List<Integer> binned =
        FeatureParams.columns(c.reader(), "bin_indexes", "bin_names").of(names, c.component());
    Table data = select(in, binned, c.isGuest());
    List<String> features = data.schema().featureNames();
    List<String> transformed = new ArrayList<>();
    for (int f : transform.columns().of(names, c.component() + ".transform_param")) {
      if (features.contains(names.get(f))) {
        transformed.add(names.get(f));
      }
    }
    BinEdges edges;
    double[] classes = null;
    List<FeatureBins> own = null;
    Map<String, List<FeatureBins>> hosts = null;
    if (c.isGuest()) {
      var guest = new HeteroBinningGuest(c.federation(), c.key(), c.hosts(), params, c.engine());
      var result = guest.fit(data);
      classes = result.events().classes();
      if (transform.type().equals("woe") && classes.length != 2) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                c.component()
                    + ": WOE transform needs binary labels, the guest's have "
                    + classes.length
                    + " classes; use transform_type bin_num")
            .shareable();
      }
      hosts = new LinkedHashMap<>();
      for (var e : result.hosts().entrySet()) {
        hosts.put(String.valueOf(e.getKey()), e.getValue());
      }
      own = result.guest().bins();
      List<FeatureBins> all = new ArrayList<>(own);
      result.hosts().values().forEach(all::addAll);
      for (FeatureBins b : all) {
        for (int k = 0; k < b.perClass().size(); k++) {
          String suffix = classes.length == 2 ? "" : "_class_" + RowTransforms.format(classes[k]);
          c.tracker().metric("iv." + b.feature() + suffix, 0, b.iv(k));
        }
      }
      c.tracker().log("binned " + all.size() + " features; " + guest.decrypted() + " decryptions");
      edges = result.guest().edges();
    } else {
      edges =
          new HeteroBinningHost(c.federation(), c.key(), c.guest(), params, c.engine()).fit(data);
      c.tracker().log("binned " + features.size() + " features");
    }
    var part =
        new PartyModel.Binning(
            params.method(),
            features,
            edges.splitPoints(),
            edges.missingBin(),
            transform.type(),
            transformed,
            classes,
            own,
            hosts);
    return new Outputs(RowTransforms.binning(in, part), part);
  }

  /** The columns {@code cols} of {@code in} (and its label when {@code label}). */
  static Table select(Table in, List<Integer> cols, boolean label) {
    return io.federa.core.table.Tables.columns(in, cols, label);
  }
}
