package io.federa.flow.dsl;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parameters of the data-preparation modules (FATE's names): HeteroDataSplit, FederatedSample,
 * Union, OneHotEncoder and FeatureImputation, read once for the validator and the components.
 */
public final class PrepParams {
  private PrepParams() {}

  /** Train, validate and test sizes (fractions ≤ 1 or row counts), and how rows are drawn. */
  public record Split(
      double[] sizes, boolean stratified, double[] splitPoints, boolean shuffle, long seed) {}

  public static Split split(ParamReader r) {
    Double train = size(r, "train_size");
    Double validate = size(r, "validate_size");
    Double test = size(r, "test_size");
    if (train == null && validate == null && test == null) {
      train = 0.8;
    }
    double v = validate == null ? 0 : validate;
    double t = test == null ? (train == null ? 0.2 : Math.max(0, 1 - train - v)) : test;
    double tr = train == null ? Math.max(0, 1 - v - t) : train;
    boolean fractions = tr <= 1 && v <= 1 && t <= 1;
    if (fractions && tr + v + t > 1 + 1e-9) {
      r.error("train_size", "train, validate and test sizes add up to " + (tr + v + t) + " > 1");
    }
    boolean stratified = r.bool("stratified", false);
    List<Double> points = numbers(r, "split_points");
    boolean shuffle = r.bool("shuffle", true);
    long seed = r.integer("random_state", 0, Integer.MAX_VALUE, 0);
    r.accept("need_run");
    return new Split(
        new double[] {tr, v, t},
        stratified,
        points.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
        shuffle,
        seed);
  }

  /**
   * FederatedSample: a fraction of the rows, or per label (stratified), with or without
   * replacement.
   */
  public record Sample(
      double fraction, TreeMap<Double, Double> byLabel, boolean replace, long seed) {}

  public static Sample sample(ParamReader r) {
    String mode = r.choice("mode", Set.of("random", "stratified"), "random");
    String method = r.choice("method", Set.of("downsample", "upsample"), "downsample");
    long seed = r.integer("random_state", 0, Integer.MAX_VALUE, 0);
    r.accept("fractions", "task_type", "need_run");
    var f = r.raw().path("fractions");
    TreeMap<Double, Double> byLabel = null;
    double fraction = 0.5;
    if (mode.equals("random")) {
      if (f.isNumber() && f.asDouble() > 0) {
        fraction = f.asDouble();
      } else if (!f.isMissingNode()) {
        r.error("fractions", "random mode takes one fraction > 0, got " + f);
      }
    } else {
      byLabel = new TreeMap<>();
      for (var pair : f) {
        if (!pair.isArray()
            || pair.size() != 2
            || !pair.get(1).isNumber()
            || pair.get(1).asDouble() < 0) {
          r.error("fractions", "stratified mode takes [[label, fraction], …], got " + f);
          break;
        }
        byLabel.put(pair.get(0).asDouble(), pair.get(1).asDouble());
      }
      if (byLabel.isEmpty()) {
        r.error("fractions", "stratified mode takes [[label, fraction], …], got " + f);
      }
    }
    if (method.equals("downsample")
        && (fraction > 1 || (byLabel != null && byLabel.values().stream().anyMatch(x -> x > 1)))) {
      r.error(
          "fractions", "downsample draws without replacement: fractions ≤ 1 (or method upsample)");
    }
    return new Sample(fraction, byLabel, method.equals("upsample"), seed);
  }

  /** FeatureImputation: per column how missing values are filled. */
  public record Imputation(
      String method,
      double defaultValue,
      Map<String, String> perColumn,
      List<Double> missingValues) {}

  public static final Set<String> FILL = Set.of("min", "max", "mean", "median", "designated");

  public static Imputation imputation(ParamReader r) {
    String method = r.choice("missing_fill_method", FILL, "designated");
    double dflt =
        r.raw().path("default_value").isNumber() ? r.raw().path("default_value").asDouble() : 0;
    r.accept("default_value", "need_run", "col_missing_fill_method", "missing_impute");
    Map<String, String> per = new TreeMap<>();
    var cols = r.raw().path("col_missing_fill_method");
    for (var it = cols.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!FILL.contains(e.getValue().asText())) {
        r.error("col_missing_fill_method", "'" + e.getValue().asText() + "' is not one of " + FILL);
      } else {
        per.put(e.getKey(), e.getValue().asText());
      }
    }
    return new Imputation(method, dflt, per, numbers(r, "missing_impute"));
  }

  /** A list of numbers (absent or null: none). */
  private static List<Double> numbers(ParamReader r, String name) {
    var v = r.raw().path(name);
    r.accept(name);
    List<Double> out = new java.util.ArrayList<>();
    if (v.isMissingNode() || v.isNull()) {
      return out;
    }
    for (var e : v) {
      if (!e.isNumber()) {
        r.error(name, "give a list of numbers, got " + v);
        return List.of();
      }
      out.add(e.asDouble());
    }
    if (!v.isArray()) {
      r.error(name, "give a list of numbers, got " + v);
    }
    return out;
  }

  private static Double size(ParamReader r, String name) {
    var v = r.raw().path(name);
    r.accept(name);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || v.asDouble() < 0) {
      r.error(name, "must be a fraction in [0, 1] or a row count, got " + v);
      return null;
    }
    return v.asDouble();
  }
}
