package io.federa.ml.feature;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.table.Table;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A party's statistics of its own columns (FATE's DataStatistics), no message sent. Over the
 * present values of a column ({@code m} of {@code n} rows): {@code count} m, {@code missing_count},
 * {@code missing_ratio}, {@code sum}, {@code mean}, {@code variance} and {@code stddev} (sample, m
 * − 1 degrees of freedom, as pandas and Spark), {@code coefficient_of_variation} (stddev / |mean|),
 * {@code min}, {@code max}, {@code median} and any percentile {@code "p%"} (linear between order
 * statistics, as NumPy's default), {@code skewness} (m₃ / m₂^1.5) and {@code kurtosis} (m₄ / m₂² −
 * 3, excess), from the central moments m_k (SciPy's defaults). A statistic without values (an empty
 * or all-missing column) is NaN.
 */
public final class ColumnStatistics {
  private ColumnStatistics() {}

  /** What FATE's {@code statistics: "summary"} gives, in this order. */
  public static final java.util.List<String> SUMMARY =
      java.util.List.of(
          "count",
          "missing_count",
          "missing_ratio",
          "sum",
          "mean",
          "variance",
          "stddev",
          "coefficient_of_variation",
          "min",
          "max",
          "median",
          "skewness",
          "kurtosis");

  /** Whether {@code name} is a statistic this class computes. */
  public static boolean known(String name) {
    return SUMMARY.contains(name) || percentile(name) >= 0;
  }

  /** {@code "95%"} → 0.95; −1 if {@code name} is not a percentile in [0, 100]. */
  static double percentile(String name) {
    if (!name.endsWith("%")) {
      return -1;
    }
    try {
      double p = Double.parseDouble(name.substring(0, name.length() - 1));
      return p >= 0 && p <= 100 ? p / 100 : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Per column (by name), the asked statistics (by name, in the asked order). */
  public static Map<String, Map<String, Double>> of(
      Table table, java.util.List<String> names, ComputingEngine engine) {
    int features = table.features();
    @SuppressWarnings("unchecked")
    Map<String, Double>[] out = new Map[features];
    engine.forEachRange(
        features,
        1,
        (from, to) -> {
          for (int f = from; f < to; f++) {
            out[f] = column(table.column(f), names);
          }
        });
    Map<String, Map<String, Double>> byColumn = new LinkedHashMap<>();
    for (int f = 0; f < features; f++) {
      byColumn.put(table.schema().featureNames().get(f), out[f]);
    }
    return byColumn;
  }

  static Map<String, Double> column(double[] values, java.util.List<String> names) {
    double[] sorted = values.clone();
    Arrays.sort(sorted); // NaN last
    int m = sorted.length;
    while (m > 0 && Double.isNaN(sorted[m - 1])) {
      m--;
    }
    int n = values.length;
    double sum = 0;
    for (int i = 0; i < m; i++) {
      sum += sorted[i];
    }
    double mean = m == 0 ? Double.NaN : sum / m;
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    for (int i = 0; i < m; i++) {
      double d = sorted[i] - mean;
      double d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
    double variance = m < 2 ? Double.NaN : m2 / (m - 1);
    double stddev = Math.sqrt(variance);
    m2 /= m;
    m3 /= m;
    m4 /= m;
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : names) {
      double v =
          switch (name) {
            case "count" -> m;
            case "missing_count" -> n - m;
            case "missing_ratio" -> n == 0 ? Double.NaN : (double) (n - m) / n;
            case "sum" -> sum;
            case "mean" -> mean;
            case "variance" -> variance;
            case "stddev" -> stddev;
            case "coefficient_of_variation" -> stddev / Math.abs(mean);
            case "min" -> m == 0 ? Double.NaN : sorted[0];
            case "max" -> m == 0 ? Double.NaN : sorted[m - 1];
            case "median" -> quantile(sorted, m, 0.5);
            case "skewness" -> m2 > 0 ? m3 / Math.pow(m2, 1.5) : Double.NaN;
            case "kurtosis" -> m2 > 0 ? m4 / (m2 * m2) - 3 : Double.NaN;
            default -> {
              double p = percentile(name);
              if (p < 0) {
                throw new io.federa.core.FederaException(
                    io.federa.core.ErrorCode.INVALID_ARGUMENT,
                    "unknown statistic '"
                        + name
                        + "'; use one of "
                        + SUMMARY
                        + " or a percentile such as \"95%\"");
              }
              yield quantile(sorted, m, p);
            }
          };
      out.put(name, v);
    }
    return out;
  }

  /** The {@code q}-quantile of the first {@code m} (sorted) values, linear between neighbours. */
  static double quantile(double[] sorted, int m, double q) {
    if (m == 0) {
      return Double.NaN;
    }
    double pos = q * (m - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(m - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
