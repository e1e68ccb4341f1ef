package io.federa.crypto.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations over many values at once behind {@link Montgomery}'s batch methods: on Federa's
 * native kernel ({@link NativeMontgomery}, eight values per AVX-512 IFMA vector) when it is in use
 * and the batch pays for the crossing, else one value at a time on the Java path, which stays the
 * reference. Both give the same residues.
 */
final class MultiBuffer {
  /** Below this many multiplications a native call costs more than it saves. */
  private static final int NATIVE_MIN_PRODUCTS = 64;

  /** Segments a native call's values are cut into at least (eight lanes, several rounds each). */
  private static final int SEGMENTS = 64;

  /** Fewer exponentiations than this leave most of the kernel's eight lanes idle. */
  static final int NATIVE_MIN_POWERS = 4;

  private MultiBuffer() {}

  static int[][] chainProducts(Montgomery m, int[][] values, int[] index, int[] lengths) {
    int total = 0;
    for (int n : lengths) {
      if (n < 1) {
        throw new IllegalArgumentException("a chain needs at least one value");
      }
      total += n;
    }
    int count = index == null ? values.length : index.length;
    if (total != count) {
      throw new IllegalArgumentException(
          "chains of " + total + " values in all, but " + count + " values");
    }
    if (NativeMontgomery.available() && total - lengths.length >= NATIVE_MIN_PRODUCTS) {
      return nativeChains(m, values, index, lengths, total);
    }
    int[][] out = new int[lengths.length][];
    int at = 0;
    for (int k = 0; k < lengths.length; k++) {
      int[] acc = values[index == null ? at : index[at]].clone();
      for (int j = 1; j < lengths[k]; j++) {
        m.mulInto(acc, values[index == null ? at + j : index[at + j]], acc);
      }
      out[k] = acc;
      at += lengths[k];
    }
    return out;
  }

  /**
   * Long chains are cut into segments so that the kernel's eight lanes stay busy (a lone
   * 30,000-value chain would run in one lane); the segments' products are then chained.
   */
  private static int[][] nativeChains(
      Montgomery m, int[][] values, int[] index, int[] lengths, int total) {
    int most = Math.max(8, (total + SEGMENTS - 1) / SEGMENTS);
    int[] perChain = new int[lengths.length];
    List<Integer> segments = new ArrayList<>();
    for (int k = 0; k < lengths.length; k++) {
      perChain[k] = (lengths[k] + most - 1) / most;
      for (int left = lengths[k], s = 0; s < perChain[k]; s++) {
        int take = (left + perChain[k] - s - 1) / (perChain[k] - s); // even cuts
        segments.add(take);
        left -= take;
      }
    }
    int[] cut = segments.stream().mapToInt(Integer::intValue).toArray();
    int[][] partial = NativeMontgomery.chainProducts(m.mod(), cut, index, values);
    return cut.length == lengths.length ? partial : chainProducts(m, partial, null, perChain);
  }

  static int[][] powers(Montgomery m, int[][] bases, BigInteger[] exponents) {
    if (bases.length != exponents.length) {
      throw new IllegalArgumentException(
          bases.length + " bases but " + exponents.length + " exponents");
    }
    int bits = 0;
    for (BigInteger e : exponents) {
      if (e.signum() < 0) {
        throw new IllegalArgumentException("negative exponent");
      }
      bits = Math.max(bits, e.bitLength());
    }
    int count = bases.length;
    if (!NativeMontgomery.available() || count < NATIVE_MIN_POWERS || bits == 0) {
      int[][] out = new int[count][];
      for (int k = 0; k < count; k++) {
        out[k] = m.pow(bases[k], exponents[k]);
      }
      return out;
    }
    return NativeMontgomery.powers(m.mod(), m.one(), bases, exponents, bits);
  }
}
