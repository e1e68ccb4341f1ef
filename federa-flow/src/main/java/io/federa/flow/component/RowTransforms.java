package io.federa.flow.component;

import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.ml.feature.BinEdges;
import io.federa.ml.linear.Standardization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a trained part does to a party's own rows — FeatureScale, HeteroFeatureBinning's bin-index
 * or WOE transform, OneHotEncoder, FeatureImputation — in one place: the components' fit and
 * predict runs and online serving apply the same code, so a served row gets the batch job's
 * numbers.
 */
public final class RowTransforms {
  private RowTransforms() {}

  /**
   * Whether {@code part} rewrites rows. The other parts a pipeline holds (statistics, selection,
   * which the model's feature names already apply, scorecard, correlation) change no column.
   */
  public static boolean rewritesRows(PartyModel part) {
    return part instanceof PartyModel.Scale
        || part instanceof PartyModel.OneHot
        || part instanceof PartyModel.Imputation
        || part instanceof PartyModel.Binning b
            && !b.transformType().equals("none")
            && !b.transformed().isEmpty();
  }

  /** {@code in} rewritten by {@code part} (as it is, for a part that rewrites no row). */
  public static Table apply(PartyModel part, Table in) {
    if (part instanceof PartyModel.Scale s) {
      return scale(in, s);
    }
    if (part instanceof PartyModel.OneHot o) {
      return oneHot(in, o.categories());
    }
    if (part instanceof PartyModel.Imputation m) {
      return impute(in, m).table();
    }
    if (part instanceof PartyModel.Binning b) {
      return binning(in, b);
    }
    return in;
  }

  /** The columns {@code part} reads to give the columns {@code outputs}, in their order. */
  public static List<String> inputs(PartyModel part, List<String> outputs) {
    if (part instanceof PartyModel.Scale s) {
      return s.features(); // applied to all its columns, by position
    }
    if (part instanceof PartyModel.OneHot o) {
      Set<String> in = new LinkedHashSet<>();
      for (String name : outputs) {
        in.add(encodedFrom(o.categories(), name));
      }
      return List.copyOf(in);
    }
    return outputs; // imputation and binning keep every column's name
  }

  /** The column {@code name} was one-hot encoded from ({@code name} itself if none). */
  private static String encodedFrom(Map<String, double[]> categories, String name) {
    for (var e : categories.entrySet()) {
      for (double v : e.getValue()) {
        if (name.equals(encodedName(e.getKey(), v))) {
          return e.getKey();
        }
      }
    }
    return name;
  }

  /** FeatureScale's {@code (x − shift) / scale} on its own columns, found by name. */
  static Table scale(Table in, PartyModel.Scale s) {
    List<Integer> cols = new ArrayList<>();
    for (String name : s.features()) {
      int at = in.schema().featureNames().indexOf(name);
      if (at < 0) {
        throw new IllegalArgumentException("FeatureScale's column '" + name + "' is not there");
      }
      cols.add(at);
    }
    Table own = io.federa.core.table.Tables.columns(in, cols, in.hasLabel());
    return new Standardization(s.shift(), s.scale()).apply(own);
  }

  /**
   * {@code in} with the binning's transformed columns replaced by bin index or WOE (those a
   * selection dropped since are not there to transform).
   */
  static Table binning(Table in, PartyModel.Binning model) {
    if (model.transformType().equals("none")) {
      return in;
    }
    BinEdges edges = model.edges();
    List<String> names = in.schema().featureNames();
    double[][] columns = new double[in.features()][];
    for (int f = 0; f < columns.length; f++) {
      columns[f] = in.column(f);
      int b = model.features().indexOf(names.get(f));
      if (b < 0 || !model.transformed().contains(names.get(f))) {
        continue;
      }
      double[] col = in.column(f);
      double[] out = new double[col.length];
      double[] woe =
          model.transformType().equals("woe") ? model.bins().get(b).perClass().get(0).woe() : null;
      for (int i = 0; i < col.length; i++) {
        int bin = edges.binOf(b, col[i]);
        out[i] = woe == null ? bin : woe[bin];
      }
      columns[f] = out;
    }
    return new Table(in.schema(), in.ids(), in.hasLabel() ? in.labels() : null, columns);
  }

  /**
   * Each column of {@code categories} as one 0/1 column per value, {@code <column>_<value>}; a
   * value not among them gives zeros in every one.
   */
  static Table oneHot(Table in, Map<String, double[]> categories) {
    List<String> names = in.schema().featureNames();
    List<String> outNames = new ArrayList<>();
    List<double[]> outCols = new ArrayList<>();
    for (int f = 0; f < names.size(); f++) {
      double[] col = in.column(f);
      double[] values = categories.get(names.get(f));
      if (values == null) {
        outNames.add(names.get(f));
        outCols.add(col);
        continue;
      }
      for (double v : values) {
        double[] out = new double[col.length];
        for (int i = 0; i < col.length; i++) {
          out[i] = col[i] == v ? 1 : 0;
        }
        outNames.add(encodedName(names.get(f), v));
        outCols.add(out);
      }
    }
    return rebuild(in, outNames, outCols);
  }

  private static String encodedName(String column, double value) {
    return column + "_" + format(value);
  }

  /** Rows with their missing values filled, and how many cells were. */
  record Imputed(Table table, long filled) {}

  /** The model's missing values (and NaN) of each column filled with the column's fill value. */
  static Imputed impute(Table in, PartyModel.Imputation model) {
    List<String> names = in.schema().featureNames();
    List<double[]> cols = new ArrayList<>();
    long filled = 0;
    for (int f = 0; f < names.size(); f++) {
      double[] col = cleaned(in.column(f), model.missingValues());
      Double v = model.fill().get(names.get(f));
      for (int i = 0; i < col.length; i++) {
        if (Double.isNaN(col[i]) && v != null) {
          col[i] = v;
          filled++;
        }
      }
      cols.add(col);
    }
    return new Imputed(rebuild(in, names, cols), filled);
  }

  /** A copy of {@code col} with the values of {@code missing} read as missing (NaN). */
  static double[] cleaned(double[] col, List<Double> missing) {
    double[] out = col.clone();
    for (int i = 0; i < out.length; i++) {
      if (missing.contains(out[i])) {
        out[i] = Double.NaN;
      }
    }
    return out;
  }

  private static Table rebuild(Table in, List<String> names, List<double[]> cols) {
    return new Table(
        new Schema(in.schema().idName(), in.hasLabel() ? in.schema().labelName() : null, names),
        in.ids(),
        in.hasLabel() ? in.labels() : null,
        cols.toArray(new double[0][]));
  }

  /** A number as a name part: an integer without its ".0". */
  static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
