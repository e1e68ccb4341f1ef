package io.federa.ml.feature;

import java.util.ArrayList;
import java.util.List;

/**
 * FATE's optimal binning with the chi-square metric (Kerber's ChiMerge): starting from fine
 * quantile bins, the adjacent pair whose class distributions differ least (lowest χ²) merges, until
 * at most {@code binNum} bins remain and none holds less than {@code minBinPct} of the rows (a bin
 * too small merges first, with the neighbour it differs least from). Only the regular bins merge;
 * missing values keep their own bin. Ties go to the lowest bin.
 */
final class ChiMerge {
  private ChiMerge() {}

  /**
   * Which fine bins' upper edges stay: indexes {@code j} such that the edge between fine bins
   * {@code j} and {@code j + 1} still separates two merged bins, ascending.
   *
   * @param rows rows per regular fine bin
   * @param events events per slot and regular fine bin ({@code [slot][bin]})
   */
  static long[] keptEdges(long[] rows, long[][] events, int binNum, double minBinPct) {
    int slots = events.length;
    List<long[]> bins = new ArrayList<>(); // per bin: class counts (events per slot, then the rest)
    List<Integer> lastFine = new ArrayList<>();
    long total = 0;
    for (int b = 0; b < rows.length; b++) {
      long[] c = new long[slots + 1];
      long rest = rows[b];
      for (int k = 0; k < slots; k++) {
        c[k] = events[k][b];
        rest -= c[k];
      }
      c[slots] = rest;
      bins.add(c);
      lastFine.add(b);
      total += rows[b];
    }
    double minRows = minBinPct * total;
    while (bins.size() > 1) {
      int small = -1;
      for (int b = 0; b < bins.size(); b++) {
        if (sum(bins.get(b)) < minRows && (small < 0 || sum(bins.get(b)) < sum(bins.get(small)))) {
          small = b;
        }
      }
      int merge; // the pair (merge, merge + 1) merges
      if (small >= 0) {
        if (small == 0) {
          merge = 0;
        } else if (small == bins.size() - 1) {
          merge = small - 1;
        } else {
          merge =
              chi2(bins.get(small - 1), bins.get(small))
                      <= chi2(bins.get(small), bins.get(small + 1))
                  ? small - 1
                  : small;
        }
      } else if (bins.size() > binNum) {
        merge = 0;
        double best = chi2(bins.get(0), bins.get(1));
        for (int b = 1; b + 1 < bins.size(); b++) {
          double c = chi2(bins.get(b), bins.get(b + 1));
          if (c < best) {
            best = c;
            merge = b;
          }
        }
      } else {
        break;
      }
      long[] a = bins.get(merge);
      long[] b = bins.remove(merge + 1);
      for (int k = 0; k < a.length; k++) {
        a[k] += b[k];
      }
      lastFine.remove(merge);
    }
    long[] kept = new long[lastFine.size() - 1];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = lastFine.get(i);
    }
    return kept;
  }

  /** Pearson's χ² of the 2 × classes table of two bins (terms with no expected count left out). */
  static double chi2(long[] a, long[] b) {
    double ra = sum(a);
    double rb = sum(b);
    double n = ra + rb;
    double chi = 0;
    for (int k = 0; k < a.length; k++) {
      double column = a[k] + b[k];
      double ea = ra * column / n;
      double eb = rb * column / n;
      if (ea > 0) {
        chi += (a[k] - ea) * (a[k] - ea) / ea;
      }
      if (eb > 0) {
        chi += (b[k] - eb) * (b[k] - eb) / eb;
      }
    }
    return chi;
  }

  private static long sum(long[] c) {
    long s = 0;
    for (long v : c) {
      s += v;
    }
    return s;
  }

  /**
   * The fine edges' merge applied: split points {@code points[kept[i]]}, and counts summed into the
   * merged bins (the missing values' bin, after the regular ones, stays as it is).
   */
  static double[] points(double[] finePoints, long[] kept) {
    double[] out = new double[kept.length];
    for (int i = 0; i < kept.length; i++) {
      out[i] = finePoints[(int) kept[i]];
    }
    return out;
  }

  /** {@code counts} per fine bin (regular bins, then any others) summed into the merged bins. */
  static long[] merge(long[] counts, int regular, long[] kept) {
    long[] out = new long[kept.length + 1 + (counts.length - regular)];
    int bin = 0;
    for (int b = 0; b < regular; b++) {
      out[bin] += counts[b];
      if (bin < kept.length && b == kept[bin]) {
        bin++;
      }
    }
    for (int b = regular; b < counts.length; b++) {
      out[kept.length + 1 + (b - regular)] = counts[b];
    }
    return out;
  }
}
