package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.flow.dsl.FeatureParams;
import io.federa.flow.dsl.PrepParams;
import io.federa.ml.feature.ColumnStatistics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OneHotEncoder and FeatureImputation: each party rewrites its own columns, no message sent. What
 * they learn (categories, fill values) is the party's model part, so a predict job rewrites new
 * rows the same way.
 */
final class ColumnComponents {
  private ColumnComponents() {}

  /**
   * Each chosen column ({@code transform_col_indexes}/{@code transform_col_names}; all by default)
   * becomes one 0/1 column per value it takes, {@code <column>_<value>}; a value the model has not
   * seen gives zeros in every one of them.
   */
  static Outputs oneHot(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputData("data");
    List<String> names = in.schema().featureNames();
    Map<String, double[]> categories;
    if (c.inputModel() instanceof PartyModel.OneHot trained) {
      categories = trained.categories();
    } else {
      categories = new LinkedHashMap<>();
      c.reader().accept("need_run", "need_alignment");
      for (int f :
          FeatureParams.columns(c.reader(), "transform_col_indexes", "transform_col_names")
              .of(names, c.component())) {
        double[] values = Arrays.stream(in.column(f)).distinct().sorted().toArray();
        if (values.length > 1024) {
          throw new FederaException(
                  ErrorCode.INVALID_ARGUMENT,
                  c.component()
                      + ": column '"
                      + names.get(f)
                      + "' takes "
                      + values.length
                      + " values; one-hot encode categorical columns only (≤ 1024 values)")
              .shareable();
        }
        categories.put(names.get(f), values);
      }
    }
    return new Outputs(RowTransforms.oneHot(in, categories), new PartyModel.OneHot(categories));
  }

  /**
   * Missing values (and those of {@code missing_impute}) of every column filled: with the column's
   * {@code min}, {@code max}, {@code mean} or {@code median} over its present values, or the {@code
   * designated} {@code default_value}; {@code col_missing_fill_method} per column.
   */
  static Outputs imputation(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    List<String> names = in.schema().featureNames();
    PartyModel.Imputation model;
    if (c.inputModel() instanceof PartyModel.Imputation trained) {
      model = trained;
    } else {
      PrepParams.Imputation p = PrepParams.imputation(c.reader());
      Map<String, Double> fill = new LinkedHashMap<>();
      for (int f = 0; f < names.size(); f++) {
        String method = p.perColumn().getOrDefault(names.get(f), p.method());
        double[] present = RowTransforms.cleaned(in.column(f), p.missingValues());
        double v =
            method.equals("designated")
                ? p.defaultValue()
                : ColumnStatistics.of(column(names.get(f), present), List.of(method), c.engine())
                    .get(names.get(f))
                    .get(method);
        fill.put(names.get(f), Double.isFinite(v) ? v : p.defaultValue());
      }
      model = new PartyModel.Imputation(fill, p.missingValues());
    }
    var imputed = RowTransforms.impute(in, model);
    c.tracker().metric("filled_cells", 0, imputed.filled());
    return new Outputs(imputed.table(), model);
  }

  private static Table column(String name, double[] values) {
    String[] ids = new String[values.length];
    Arrays.fill(ids, "");
    return new Table(new Schema("id", null, List.of(name)), ids, null, new double[][] {values});
  }
}
