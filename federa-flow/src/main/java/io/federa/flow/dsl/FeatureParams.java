package io.federa.flow.dsl;

import io.federa.core.FederaException;
import io.federa.crypto.he.HeParameters;
import io.federa.ml.feature.BinningParams;
import io.federa.ml.feature.ColumnStatistics;
import io.federa.ml.feature.WoeIv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parameters of the feature-engineering modules (FATE's names), read once for the validator and
 * the components alike, as {@link AlgorithmParams} does for the training modules.
 */
public final class FeatureParams {
  private FeatureParams() {}

  /** Columns named by FATE's index and name lists: null index list (−1) means every column. */
  public record Columns(List<Integer> indexes, List<String> names) {
    public static final Columns ALL = new Columns(null, List.of());

    /** The table's columns (by index in {@code features}) these name, in table order. */
    public List<Integer> of(List<String> features, String what) {
      List<Integer> out = new ArrayList<>();
      for (int f = 0; f < features.size(); f++) {
        if ((indexes == null && names.isEmpty())
            || (indexes != null && indexes.contains(f))
            || names.contains(features.get(f))) {
          out.add(f);
        }
      }
      for (String n : names) {
        if (!features.contains(n)) {
          throw new FederaException(
                  io.federa.core.ErrorCode.INVALID_ARGUMENT,
                  what + " names column '" + n + "' but the data has " + features)
              .shareable();
        }
      }
      if (indexes != null) {
        for (int i : indexes) {
          if (i >= features.size()) {
            throw new FederaException(
                    io.federa.core.ErrorCode.INVALID_ARGUMENT,
                    what + " names column index " + i + " but the data has " + features.size())
                .shareable();
          }
        }
      }
      return out;
    }
  }

  /** DataStatistics: the statistics asked ({@code "summary"} expands to FATE's summary set). */
  public static List<String> statistics(ParamReader r) {
    List<String> asked = r.strings("statistics", List.of("summary"));
    List<String> out = new ArrayList<>();
    for (String s : asked) {
      if (s.equals("summary")) {
        ColumnStatistics.SUMMARY.stream().filter(x -> !out.contains(x)).forEach(out::add);
      } else if (!ColumnStatistics.known(s)) {
        r.error(
            "statistics",
            "'"
                + s
                + "' is not a statistic Federa computes; use \"summary\", "
                + ColumnStatistics.SUMMARY
                + " or a percentile such as \"95%\"");
      } else if (!out.contains(s)) {
        out.add(s);
      }
    }
    r.accept("column_set", "abnormal_list", "quantile_error", "bias", "need_run");
    return out;
  }

  /** The columns a module works on: {@code <prefix>_indexes} / {@code <prefix>_names}. */
  public static Columns columns(ParamReader r, String indexes, String names) {
    return new Columns(r.indexes(indexes, null), r.strings(names, List.of()));
  }

  /** HeteroFeatureBinning's binning. */
  public static BinningParams binning(ParamReader r, Duration timeout) {
    String method = r.choice("method", Set.of("quantile", "bucket", "optimal"), "quantile");
    int bins = r.integer("bin_num", 2, io.federa.ml.feature.BinEdges.MAX_BINS - 1, 10);
    double adjustment = r.number("adjustment_factor", 0, true, WoeIv.ADJUSTMENT);
    ParamReader optimal = r.object("optimal_binning_param");
    String metric =
        optimal.choice(
            "metric_method", Set.of("chi_square", "chi-square", "iv", "gini", "ks"), "chi_square");
    if (!metric.startsWith("chi")) {
      optimal.error(
          "metric_method",
          "Federa's optimal binning merges by chi-square (ChiMerge); set \"chi_square\"");
    }
    int init =
        optimal.integer("init_bin_nums", 2, io.federa.ml.feature.BinEdges.MAX_BINS - 1, 1000);
    double minPct = optimal.number("min_bin_pct", 0, true, 0.05);
    optimal.accept("max_bin_pct", "mixture", "init_bucket_method", "max_bin");
    if (method.equals("optimal") && init < bins) {
      optimal.error("init_bin_nums", "must be at least bin_num (" + bins + ")");
      init = bins;
    }
    if (r.raw().path("local_only").asBoolean(false)) {
      r.warn("local_only", "Federa's binning always computes the hosts' IV too");
    }
    r.accept(
        "compress_thres",
        "head_size",
        "error",
        "category_indexes",
        "category_names",
        "local_only",
        "need_run",
        "skip_static",
        "split_points_by_index",
        "split_points_by_col_name");
    HeParameters key = AlgorithmParams.key(r, HeParameters.MIN_SECURE_BITS);
    return new BinningParams(method, bins, adjustment, init, Math.min(0.99, minPct), key, timeout);
  }

  /** What a binning transforms: {@code bin_num} (bin indexes), {@code woe}, or nothing. */
  public record Transform(String type, Columns columns) {}

  /**
   * {@code transform_param}: {@code transform_type} bin_num, woe or null; {@code woe} is the
   * guest's only (as in FATE: a host's WOE would be its bins' label rates).
   */
  public static Transform transform(ParamReader r, String role) {
    ParamReader t = r.object("transform_param");
    String type =
        t.raw().path("transform_type").isNull()
            ? "none"
            : t.choice("transform_type", Set.of("bin_num", "woe"), "bin_num");
    t.accept("transform_type");
    if (type.equals("woe") && role.equals("host")) {
      t.error(
          "transform_type",
          "WOE is the guest's only (as in FATE): a host's WOE values would be its bins' label"
              + " rates; give the host transform_type bin_num or null under role.host");
    }
    Columns columns = columns(t, "transform_cols", "transform_names");
    if (t.raw().path("transform_cols").isNull()) { // FATE: None transforms no column by index
      columns = new Columns(List.of(), columns.names());
    }
    return new Transform(type, columns);
  }

  /** One filter as the conf gives it; manual column indexes are resolved at the party. */
  public record Filter(
      io.federa.ml.feature.SelectionStep step,
      List<Integer> outIndexes,
      List<Integer> leftIndexes) {}

  /**
   * HeteroFeatureSelection's {@code filter_methods}, in order: {@code manually}, {@code iv_filter}
   * and {@code statistic_filter} (one step per metric of their {@code metrics} list), and FATE's
   * older single filters ({@code iv_value_thres}, {@code iv_percentile}, {@code iv_top_k}, {@code
   * coefficient_of_variation_value_thres}, {@code unique_value}).
   */
  public static List<Filter> selection(ParamReader r) {
    List<String> methods = r.strings("filter_methods", List.of());
    if (methods.isEmpty()) {
      r.error("filter_methods", "name at least one filter, e.g. [\"iv_filter\"]");
    }
    List<Filter> out = new ArrayList<>();
    for (String m : methods) {
      switch (m) {
        case "manually" -> {
          ParamReader p = r.object("manually_param");
          out.add(
              new Filter(
                  io.federa.ml.feature.SelectionStep.manual(
                      p.strings("filter_out_names", List.of()),
                      p.strings("left_col_names", List.of())),
                  orEmpty(p.indexes("filter_out_indexes", List.of())),
                  orEmpty(p.indexes("left_col_indexes", List.of()))));
        }
        case "iv_filter" -> {
          ParamReader p = r.object("iv_param");
          boolean federated = p.bool("select_federated", true);
          p.accept("mul_class_merge_type", "host_thresholds", "host_filter_type", "host_top_k");
          for (Filter f : valueFilters(p, "iv", federated, List.of("iv"))) {
            out.add(f);
          }
        }
        case "statistic_filter" -> {
          ParamReader p = r.object("statistic_param");
          out.addAll(valueFilters(p, "statistic", false, ColumnStatistics.SUMMARY));
        }
        case "iv_value_thres" ->
            out.add(
                value(
                    "iv",
                    "iv",
                    "threshold",
                    r.object("iv_value_param").number("value_threshold", 0, true, 1),
                    true));
        case "iv_percentile" ->
            out.add(
                value(
                    "iv",
                    "iv",
                    "top_percentile",
                    r.object("iv_percentile_param").number("percentile_threshold", 0, true, 1),
                    true));
        case "iv_top_k" ->
            out.add(
                value(
                    "iv",
                    "iv",
                    "top_k",
                    r.object("iv_top_k_param").integer("k", 1, 1_000_000, 10),
                    true));
        case "coefficient_of_variation_value_thres" ->
            out.add(
                value(
                    "statistic",
                    "coefficient_of_variation",
                    "threshold",
                    r.object("variance_coe_param").number("value_threshold", 0, true, 1),
                    true));
        case "unique_value" ->
            out.add(
                value(
                    "statistic",
                    "stddev",
                    "threshold",
                    r.object("unique_param").number("eps", 0, true, 1e-5),
                    true));
        default ->
            r.error(
                "filter_methods",
                "'"
                    + m
                    + "' is not a filter Federa runs; use manually, iv_filter, statistic_filter,"
                    + " iv_value_thres, iv_percentile, iv_top_k,"
                    + " coefficient_of_variation_value_thres or unique_value");
      }
    }
    r.accept(
        "select_col_indexes",
        "select_names",
        "need_run",
        "percentage_value_param",
        "outlier_param");
    return out;
  }

  private static List<Integer> orEmpty(List<Integer> l) {
    return l == null ? List.of() : l;
  }

  private static Filter value(String kind, String metric, String type, double t, boolean high) {
    return new Filter(
        io.federa.ml.feature.SelectionStep.byValue(kind, metric, type, t, high, kind.equals("iv")),
        List.of(),
        List.of());
  }

  /** FATE's {@code metrics}, {@code filter_type}, {@code threshold}, {@code take_high} lists. */
  private static List<Filter> valueFilters(
      ParamReader p, String kind, boolean federated, List<String> metrics) {
    List<String> names = p.strings("metrics", List.of(kind.equals("iv") ? "iv" : "missing_ratio"));
    List<String> types = p.strings("filter_type", List.of("threshold"));
    var thresholds = p.raw().path("threshold");
    var high = p.raw().path("take_high");
    p.accept("threshold", "take_high");
    List<Filter> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String metric = names.get(i);
      String type = types.get(Math.min(i, types.size() - 1));
      var t = thresholds.isArray() ? thresholds.path(i) : thresholds;
      var h = high.isArray() ? high.path(i) : high;
      if (!metrics.contains(metric)) {
        p.error("metrics", "'" + metric + "' is not one of " + metrics);
        continue;
      }
      if (!Set.of("threshold", "top_k", "top_percentile").contains(type)) {
        p.error("filter_type", "'" + type + "' is not one of threshold, top_k, top_percentile");
        continue;
      }
      if (!t.isMissingNode() && !t.isNumber()) {
        p.error("threshold", "give a number (or one per metric), got " + t);
        continue;
      }
      double threshold = t.isNumber() ? t.asDouble() : (type.equals("top_k") ? 10 : 0.1);
      boolean takeHigh = h.isBoolean() ? h.asBoolean() : !metric.equals("missing_ratio");
      out.add(
          new Filter(
              io.federa.ml.feature.SelectionStep.byValue(
                  kind, metric, type, threshold, takeHigh, federated),
              List.of(),
              List.of()));
    }
    return out;
  }

  /** Scorecard's scaling (FATE's defaults: offset 500, 20 points to double the odds). */
  public record Scorecard(
      double offset,
      double factor,
      double factorBase,
      double upperLimitRatio,
      double lowerLimitValue) {}

  public static Scorecard scorecard(ParamReader r) {
    r.choice("method", Set.of("credit"), "credit");
    r.accept("need_run");
    return new Scorecard(
        r.number("offset", -1e12, true, 500),
        r.number("factor", 0, false, 20),
        r.number("factor_base", 1, false, 2),
        r.number("upper_limit_ratio", 0, false, 3),
        r.number("lower_limit_value", -1e12, true, 0));
  }

  /** HeteroPearson: whether to correlate across parties, the guest's key, the columns. */
  public record Pearson(
      boolean crossParties, io.federa.crypto.he.HeParameters key, Columns columns) {}

  public static Pearson pearson(ParamReader r) {
    boolean cross = r.bool("cross_parties", true);
    r.accept("need_run", "use_mix_rand", "calc_local_vif");
    return new Pearson(
        cross, AlgorithmParams.keyOf(r), columns(r, "column_indexes", "column_names"));
  }
}
