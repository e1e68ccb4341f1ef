package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * How the guest draws rows for DataSplit and Sample (FATE's HeteroDataSplit and FederatedSample):
 * each result is a list of row indexes of the aligned rows (a row may repeat when sampling with
 * replacement), the same at every party because the guest sends them ({@link RowPartsGuest}).
 * Stratified draws keep each label's share in every part; continuous labels are stratified by
 * {@code splitPoints}.
 */
public final class RowDraw {
  private RowDraw() {}

  /**
   * Train, validate and test rows: {@code sizes} are fractions (≤ 1) or counts (> 1) of the rows,
   * in that order; shuffled with {@code seed} unless {@code shuffle} is false (then in row order).
   */
  public static int[][] split(
      double[] labels,
      int n,
      double[] sizes,
      boolean stratified,
      double[] splitPoints,
      boolean shuffle,
      long seed) {
    List<int[]> groups = groups(labels, n, stratified, splitPoints);
    List<List<Integer>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    SplittableRandom random = new SplittableRandom(seed);
    for (int[] group : groups) {
      int[] rows = shuffle ? shuffled(group, random) : group;
      int m = rows.length;
      long[] counts = new long[3];
      for (int p = 0; p < 3; p++) {
        counts[p] = sizes[p] <= 1 ? Math.round(sizes[p] * m) : Math.round(sizes[p] * m / n);
      }
      long over = counts[0] + counts[1] + counts[2] - m;
      for (int p = 2; p >= 0 && over != 0; p--) { // rounding: the last parts give or take
        long d = over > 0 ? Math.min(over, counts[p]) : over;
        counts[p] -= d;
        over -= d;
      }
      int at = 0;
      for (int p = 0; p < 3; p++) {
        for (long k = 0; k < counts[p]; k++) {
          parts.get(p).add(rows[at++]);
        }
      }
    }
    int[][] out = new int[3][];
    for (int p = 0; p < 3; p++) {
      out[p] = parts.get(p).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return out;
  }

  /**
   * A sample: {@code fraction} of the rows (of each label's rows with {@code byLabel}: label →
   * fraction), with or without replacement; the rows ascending.
   */
  public static int[] sample(
      double[] labels,
      int n,
      double fraction,
      TreeMap<Double, Double> byLabel,
      boolean replace,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> out = new ArrayList<>();
    List<int[]> groups = groups(labels, n, byLabel != null, null);
    for (int[] group : groups) {
      double f = byLabel == null ? fraction : byLabel.getOrDefault(labels[group[0]], 0.0);
      int k = (int) Math.round(f * group.length);
      if (!replace && k > group.length) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "a sample of " + f + " of " + group.length + " rows without replacement; lower it");
      }
      if (replace) {
        for (int i = 0; i < k; i++) {
          out.add(group[random.nextInt(group.length)]);
        }
      } else {
        int[] s = shuffled(group, random);
        for (int i = 0; i < k; i++) {
          out.add(s[i]);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** The rows by stratum (one group of every row when not stratified). */
  private static List<int[]> groups(
      double[] labels, int n, boolean stratified, double[] splitPoints) {
    if (!stratified) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return List.of(all);
    }
    TreeMap<Double, List<Integer>> byKey = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      double key = labels[i];
      if (splitPoints != null && splitPoints.length > 0) {
        int k = java.util.Arrays.binarySearch(splitPoints, key);
        key = k >= 0 ? k : -k - 1;
      }
      byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
    }
    List<int[]> out = new ArrayList<>();
    for (List<Integer> rows : byKey.values()) {
      out.add(rows.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  private static int[] shuffled(int[] rows, SplittableRandom random) {
    int[] s = rows.clone();
    for (int i = s.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }
}
