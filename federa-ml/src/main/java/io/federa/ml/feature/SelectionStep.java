package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One filter of a feature selection (FATE's {@code filter_methods}, applied in order to the columns
 * the earlier ones left).
 *
 * <ul>
 *   <li>{@code manual}: drops {@code filterOut}, or keeps only {@code leftOnly} (non-empty);
 *   <li>{@code iv}: by information value; {@code federated}: the hosts' binned features are ranked
 *       with the guest's (the guest decides, a host learns which of its own it keeps);
 *   <li>{@code statistic}: by one of a party's own columns' statistics ({@code metric}), each party
 *       on its own.
 * </ul>
 *
 * {@code type}: {@code threshold} keeps a value ≥ {@code threshold} ({@code takeHigh}) or ≤ it;
 * {@code top_k} keeps the {@code threshold} best; {@code top_percentile} keeps the best ⌈{@code
 * threshold}·n⌉. A column without a value (not binned, no statistic) is kept.
 */
public record SelectionStep(
    String kind,
    String metric,
    String type,
    double threshold,
    boolean takeHigh,
    boolean federated,
    List<String> filterOut,
    List<String> leftOnly) {

  public SelectionStep {
    if (!List.of("manual", "iv", "statistic").contains(kind)
        || !List.of("threshold", "top_k", "top_percentile").contains(type)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "unknown selection filter " + kind + "/" + type);
    }
    filterOut = List.copyOf(filterOut);
    leftOnly = List.copyOf(leftOnly);
  }

  public static SelectionStep manual(List<String> filterOut, List<String> leftOnly) {
    return new SelectionStep("manual", "", "threshold", 0, true, false, filterOut, leftOnly);
  }

  public static SelectionStep byValue(
      String kind, String metric, String type, double threshold, boolean takeHigh, boolean fed) {
    return new SelectionStep(kind, metric, type, threshold, takeHigh, fed, List.of(), List.of());
  }

  /**
   * The party's {@code remaining} columns this step keeps when the party decides alone (a manual
   * list, a statistic of its own columns, a local IV filter of the guest's), or null when the step
   * is federated.
   */
  List<String> applyLocal(
      List<String> remaining, Map<String, Double> iv, Map<String, Map<String, Double>> statistics) {
    return switch (kind) {
      case "manual" -> manual(remaining);
      case "statistic" -> keep(remaining, values(statistics, metric));
      default -> federated ? null : keep(remaining, iv);
    };
  }

  /** Applies a manual step to a party's {@code remaining} columns. */
  private List<String> manual(List<String> remaining) {
    List<String> out = new ArrayList<>();
    for (String c : remaining) {
      if (!filterOut.contains(c) && (leftOnly.isEmpty() || leftOnly.contains(c))) {
        out.add(c);
      }
    }
    return out;
  }

  /** The columns of {@code remaining} this step keeps, by their values (absent: kept). */
  List<String> keep(List<String> remaining, Map<String, Double> values) {
    List<String> scored = new ArrayList<>();
    for (String c : remaining) {
      if (values.containsKey(c) && Double.isFinite(values.get(c))) {
        scored.add(c);
      }
    }
    Map<String, Boolean> kept = new LinkedHashMap<>();
    if (type.equals("threshold")) {
      for (String c : scored) {
        double v = values.get(c);
        kept.put(c, takeHigh ? v >= threshold : v <= threshold);
      }
    } else {
      int k =
          type.equals("top_k")
              ? (int) threshold
              : (int) Math.ceil(threshold * scored.size() - 1e-9);
      Comparator<String> best = Comparator.comparingDouble(values::get);
      List<String> order = new ArrayList<>(scored);
      order.sort(takeHigh ? best.reversed() : best); // stable: ties keep the column order
      for (int i = 0; i < order.size(); i++) {
        kept.put(order.get(i), i < k);
      }
    }
    List<String> out = new ArrayList<>();
    for (String c : remaining) {
      if (kept.getOrDefault(c, true)) {
        out.add(c);
      }
    }
    return out;
  }

  /** Statistic {@code name} of each column that has it ({@code [column][statistic]}). */
  private static Map<String, Double> values(
      Map<String, Map<String, Double>> statistics, String name) {
    Map<String, Double> out = new LinkedHashMap<>();
    statistics.forEach(
        (column, s) -> {
          if (s.containsKey(name)) {
            out.put(column, s.get(name));
          }
        });
    return out;
  }
}
