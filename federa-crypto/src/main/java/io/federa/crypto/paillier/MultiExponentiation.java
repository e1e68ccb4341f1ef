package io.federa.crypto.paillier;

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
