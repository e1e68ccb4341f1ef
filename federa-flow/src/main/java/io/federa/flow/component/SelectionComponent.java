package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.flow.dsl.FeatureParams;
import io.federa.ml.feature.ColumnStatistics;
import io.federa.ml.feature.FeatureBins;
import io.federa.ml.feature.HeteroSelectionGuest;
import io.federa.ml.feature.HeteroSelectionHost;
import io.federa.ml.feature.SelectionStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HeteroFeatureSelection: the filters of {@code filter_methods} in order over the columns of {@code
 * select_col_indexes}/{@code select_names} (all by default; the others always stay). IV comes from
 * a HeteroFeatureBinning given as {@code isometric_model} (the guest's holds every party's IV);
 * statistics from a DataStatistics model given so, or computed here on the party's own columns. The
 * output keeps the selected columns; a predict job keeps the trained selection's.
 */
final class SelectionComponent {
  private SelectionComponent() {}

  static Outputs run(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    List<String> names = in.schema().featureNames();
    if (c.inputModel() != null) {
      if (!(c.inputModel() instanceof PartyModel.Selection trained)) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT, c.component() + ": its model input is not a selection")
            .shareable();
      }
      return new Outputs(keep(c, in, trained.kept()), trained);
    }
    List<SelectionStep> steps = new ArrayList<>();
    for (FeatureParams.Filter f : FeatureParams.selection(c.reader())) {
      SelectionStep s = f.step();
      if (s.kind().equals("manual")) {
        List<String> out = new ArrayList<>(s.filterOut());
        List<String> left = new ArrayList<>(s.leftOnly());
        f.outIndexes().forEach(i -> out.add(column(c, names, i)));
        f.leftIndexes().forEach(i -> left.add(column(c, names, i)));
        s = SelectionStep.manual(out, left);
      }
      steps.add(s);
    }
    List<String> candidates = new ArrayList<>();
    for (int f :
        FeatureParams.columns(c.reader(), "select_col_indexes", "select_names")
            .of(names, c.component())) {
      candidates.add(names.get(f));
    }
    PartyModel.Binning binning = null;
    Map<String, Map<String, Double>> statistics = null;
    for (PartyModel m : c.isometricModels()) {
      if (m instanceof PartyModel.Binning b) {
        binning = b;
      } else if (m instanceof PartyModel.Statistics s) {
        statistics = s.columns();
      }
    }
    boolean usesIv = steps.stream().anyMatch(s -> s.kind().equals("iv"));
    if (usesIv && binning == null) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component()
                  + " filters by IV: give it the binning as input.isometric_model, e.g."
                  + " [\"hetero_feature_binning_0.model\"]")
          .shareable();
    }
    if (statistics == null && steps.stream().anyMatch(s -> s.kind().equals("statistic"))) {
      statistics =
          ColumnStatistics.of(
              FeatureComponents.select(in, indexes(names, candidates), false),
              ColumnStatistics.SUMMARY,
              c.engine());
    }
    Map<String, Map<String, Double>> stats = statistics == null ? Map.of() : statistics;
    List<String> selected;
    if (c.isGuest()) {
      Map<String, Double> iv = new LinkedHashMap<>();
      if (binning != null) {
        binning.bins().forEach(b -> iv.put(b.feature(), meanIv(b)));
        binning.hosts().values().forEach(l -> l.forEach(b -> iv.put(b.feature(), meanIv(b))));
      }
      selected =
          new HeteroSelectionGuest(c.federation(), c.key(), c.hosts(), c.timeout())
              .select(candidates, steps, iv, stats);
    } else {
      selected =
          new HeteroSelectionHost(c.federation(), c.key(), c.guest(), c.timeout())
              .select(candidates, steps, binning == null ? List.of() : binning.features(), stats);
    }
    List<String> kept = new ArrayList<>();
    for (String n : names) {
      if (!candidates.contains(n) || selected.contains(n)) {
        kept.add(n);
      }
    }
    c.tracker().log("kept " + kept.size() + " of " + names.size() + " columns");
    c.tracker().metric("kept_columns", 0, kept.size());
    return new Outputs(keep(c, in, kept), new PartyModel.Selection(names, kept));
  }

  /** FATE's {@code mul_class_merge_type} default: the classes' IVs averaged (binary: the IV). */
  private static double meanIv(FeatureBins b) {
    double sum = 0;
    for (int k = 0; k < b.perClass().size(); k++) {
      sum += b.iv(k);
    }
    return sum / b.perClass().size();
  }

  private static String column(ComponentContext c, List<String> names, int i) {
    if (i >= names.size()) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component() + ": manually_param names column index " + i + " of " + names.size())
          .shareable();
    }
    return names.get(i);
  }

  private static List<Integer> indexes(List<String> names, List<String> of) {
    List<Integer> out = new ArrayList<>();
    for (String n : of) {
      out.add(names.indexOf(n));
    }
    return out;
  }

  private static Table keep(ComponentContext c, Table in, List<String> kept) {
    List<String> names = in.schema().featureNames();
    for (String k : kept) {
      if (!names.contains(k)) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                c.component() + ": the selection keeps column '" + k + "', the data lacks it")
            .shareable();
      }
    }
    return FeatureComponents.select(in, indexes(names, kept), true);
  }
}
