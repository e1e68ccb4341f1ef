package io.federa.crypto.he;

import io.federa.crypto.internal.Montgomery;

/**
 * {@code Π_i base_i^(e_i)} with Pippenger's bucket method (N. Pippenger, "On the evaluation of
 * powers and monomials", SIAM J. Comput. 1980; the form used for multi-scalar multiplication): the
 * exponents are cut into windows of {@code c} bits; per window, each base is multiplied into the
 * bucket of its digit, and the buckets are summed with running products, so a window costs about
 * {@code N + 2^(c+1)} multiplications instead of one exponentiation per term. For N = 30,000
 * exponents of 40 bits that is ~130,000 Montgomery multiplications, against ~1.7 million for one
 * square-and-multiply per term.
 */
final class MultiExponentiation {
  private MultiExponentiation() {}

  /**
   * @param bases Montgomery-form bases
   * @param exponents non-negative exponents, one per base (a zero skips its base)
   * @return the product in Montgomery form
   */
  static int[] product(Montgomery m, int[][] bases, long[] exponents, int from, int to) {
    int bits = 0;
    for (int i = from; i < to; i++) {
      bits = Math.max(bits, 64 - Long.numberOfLeadingZeros(exponents[i]));
    }
    if (bits == 0) {
      return m.one();
    }
    int count = to - from;
    int c = bestWindow(count, bits);
    if (bits <= 24) {
      int[] sparse = sparseProduct(m, bases, exponents, from, to, bits, c);
      if (sparse != null) {
        return sparse;
      }
    }
    if (Montgomery.nativeProducts() && count >= NATIVE_MIN_TERMS) {
      return gathered(m, bases, exponents, from, to, bits);
    }
    int windows = (bits + c - 1) / c;
    long mask = (1L << c) - 1;
    int[][] buckets = new int[1 << c][];
    int[] result = null;
    for (int w = windows - 1; w >= 0; w--) {
      if (result != null) {
        for (int s = 0; s < c; s++) {
          m.squareInto(result, result);
        }
      }
      java.util.Arrays.fill(buckets, null);
      int shift = w * c;
      for (int i = from; i < to; i++) {
        int digit = (int) ((exponents[i] >>> shift) & mask);
        if (digit != 0) {
          int[] bucket = buckets[digit];
          buckets[digit] = bucket == null ? bases[i].clone() : m.mulInto(bucket, bases[i], bucket);
        }
      }
      // Σ_d d·bucket_d as running products: running = Π_{d' ≥ d} bucket_d', total = Π running
      int[] running = null;
      int[] total = null;
      for (int d = buckets.length - 1; d >= 1; d--) {
        if (buckets[d] != null) {
          running = running == null ? buckets[d] : m.mulInto(running, buckets[d], running);
        }
        if (running != null) {
          total = total == null ? running.clone() : m.mulInto(total, running, total);
        }
      }
      if (total != null) {
        result = result == null ? total : m.mulInto(result, total, result);
      }
    }
    return result == null ? m.one() : result;
  }

  /** Fewer terms than this do not fill the native kernel's lanes. */
  static final int NATIVE_MIN_TERMS = 64;

  /**
   * Native kernel's Montgomery products per Java one in the buckets' running sums (IFMA's eight
   * lanes against the JDK's intrinsic, measured at 2,048..4,096 bits).
   */
  private static final int JAVA_COST = 4;

  /**
   * The bucket method with every window's buckets filled in one native call: the buckets are chains
   * of the bases with that digit, gathered by index ({@link Montgomery#gatherProducts}); the
   * running sums that weigh each bucket by its digit stay on the Java path. Since the buckets cost
   * a quarter of what they cost in Java, the window is chosen for that.
   */
  static int[] gathered(Montgomery m, int[][] bases, long[] exponents, int from, int to, int bits) {
    int count = to - from;
    int c = 1;
    long best = Long.MAX_VALUE;
    for (int w = 1; w <= 16; w++) {
      long cost = (long) ((bits + w - 1) / w) * (count + JAVA_COST * (2L << w)) + bits * JAVA_COST;
      if (cost < best) {
        best = cost;
        c = w;
      }
    }
    int windows = (bits + c - 1) / c;
    int digits = 1 << c;
    long mask = digits - 1;
    int[] counts = new int[windows * digits];
    int terms = 0;
    for (int i = from; i < to; i++) {
      for (int w = 0; w < windows; w++) {
        int d = (int) ((exponents[i] >>> (w * c)) & mask);
        if (d != 0) {
          counts[w * digits + d]++;
          terms++;
        }
      }
    }
    if (terms == 0) {
      return m.one();
    }
    int[] start = new int[counts.length];
    int chains = 0;
    for (int b = 0, at = 0; b < counts.length; b++) {
      start[b] = at;
      at += counts[b];
      chains += counts[b] > 0 ? 1 : 0;
    }
    int[] index = new int[terms];
    int[] fill = start.clone();
    for (int i = from; i < to; i++) {
      for (int w = 0; w < windows; w++) {
        int d = (int) ((exponents[i] >>> (w * c)) & mask);
        if (d != 0) {
          index[fill[w * digits + d]++] = i;
        }
      }
    }
    int[] lengths = new int[chains];
    for (int b = 0, k = 0; b < counts.length; b++) {
      if (counts[b] > 0) {
        lengths[k++] = counts[b];
      }
    }
    int[][] filled = m.gatherProducts(bases, index, lengths);
    int[] result = null;
    int next = filled.length;
    for (int w = windows - 1; w >= 0; w--) {
      if (result != null) {
        for (int s = 0; s < c; s++) {
          m.squareInto(result, result);
        }
      }
      // Σ_d d·bucket_d as running products, from the highest digit down
      int[] running = null;
      int[] total = null;
      for (int d = digits - 1; d >= 1; d--) {
        if (counts[w * digits + d] > 0) {
          int[] bucket = filled[--next];
          running = running == null ? bucket : m.mulInto(running, bucket, running);
        }
        if (running != null) {
          total = total == null ? running.clone() : m.mulInto(total, running, total);
        }
      }
      if (total != null) {
        result = result == null ? total : m.mulInto(result, total, result);
      }
    }
    return result == null ? m.one() : result;
  }

  /**
   * When the exponents take few distinct values (a categorical feature as dot-product scalars),
   * groups the bases by exponent instead of by window digit: {@code Σ_k e_k·B_k} over the K
   * distinct values in decreasing order is {@code Σ_k (e_k − e_{k+1})·(B_1 ⊕ … ⊕ B_k)}, about
   * {@code N + K·(1 + 1.5·log2(gap))} multiplications instead of {@code ⌈bits/c⌉·(N + 2^(c+1))}.
   * Returns null when the windowed method is cheaper.
   */
  static int[] sparseProduct(
      Montgomery m, int[][] bases, long[] exponents, int from, int to, int bits, int c) {
    // exponent in the high bits, index in the low 24: one sort groups equal exponents
    long[] keyed = new long[to - from];
    int k = 0;
    for (int i = from; i < to; i++) {
      if (exponents[i] != 0) {
        keyed[k++] = (exponents[i] << 24) | (i - from);
      }
    }
    if (to - from >= (1 << 24)) {
      return null;
    }
    long[] sorted = java.util.Arrays.copyOf(keyed, k);
    java.util.Arrays.sort(sorted);
    int distinct = 0;
    double gaps = 0;
    long previous = 0;
    for (int i = 0; i < k; i++) {
      long e = sorted[i] >>> 24;
      if (i == 0 || e != previous) {
        distinct++;
        gaps += 1.5 * Math.log(Math.max(2, e - previous)) / Math.log(2);
        previous = e;
      }
    }
    double sparseCost = k + distinct + gaps;
    double windowCost = (double) ((bits + c - 1) / c) * ((to - from) + (2L << c)) + bits;
    if (sparseCost >= windowCost) {
      return null;
    }
    int[] running = null;
    int[] total = null;
    int i = k - 1;
    while (i >= 0) {
      long e = sorted[i] >>> 24;
      int[] bucket = null;
      while (i >= 0 && (sorted[i] >>> 24) == e) {
        int[] base = bases[from + (int) (sorted[i] & 0xFFFFFF)];
        bucket = bucket == null ? base.clone() : m.mulInto(bucket, base, bucket);
        i--;
      }
      running = running == null ? bucket : m.mulInto(running, bucket, running);
      long next = i >= 0 ? sorted[i] >>> 24 : 0;
      int[] step = power(m, running, e - next);
      total = total == null ? step : m.mulInto(total, step, total);
    }
    return total == null ? m.one() : total;
  }

  /** {@code base^e} for a small positive {@code e}, left to right. */
  private static int[] power(Montgomery m, int[] base, long e) {
    if (e == 1) {
      return base.clone();
    }
    int[] acc = base.clone();
    for (int b = 62 - Long.numberOfLeadingZeros(e); b >= 0; b--) {
      m.squareInto(acc, acc);
      if (((e >>> b) & 1) != 0) {
        m.mulInto(acc, base, acc);
      }
    }
    return acc;
  }

  /** The window minimising {@code ⌈bits/c⌉·(count + 2^(c+1)) + bits} multiplications. */
  static int bestWindow(int count, int bits) {
    int best = 1;
    long bestCost = Long.MAX_VALUE;
    for (int c = 1; c <= 16; c++) {
      long cost = (long) ((bits + c - 1) / c) * (count + (2L << c)) + bits;
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }
}
