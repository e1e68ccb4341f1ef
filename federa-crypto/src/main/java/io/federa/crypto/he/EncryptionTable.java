package io.federa.crypto.he;

import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;

/**
 * A fixed-base table for powers of one element: {@code table[j][d−1] = base^(d·2^(w·j))} in
 * Montgomery form, so that {@code base^e = Π_j table[j][digit_j(e) − 1]} costs one multiplication
 * per non-zero {@code w}-bit digit of {@code e}. It makes the encryption noise ({@code h_s^α} for
 * Paillier, {@code H^r} for OU) and OU's {@code G^m}.
 */
final class EncryptionTable {
  private final Montgomery mont;
  private final int window;
  private final int exponentBits;
  private final int[][][] table;

  /** The window of the noise table for bulk encryption ({@link HePublicKey#prepareForBulk}). */
  static final int BULK_WINDOW = 12;

  /** A table for exponents below {@code 2^exponentBits}. */
  EncryptionTable(Montgomery mont, BigInteger base, int exponentBits, int window) {
    this.mont = mont;
    this.exponentBits = exponentBits;
    this.window = window;
    int windows = (exponentBits + window - 1) / window;
    int digits = (1 << window) - 1;
    table = new int[windows][digits][];
    int[] power = mont.toMontgomery(base);
    for (int j = 0; j < windows; j++) {
      int[][] row = table[j];
      row[0] = power;
      for (int d = 1; d < digits; d++) {
        row[d] = mont.mul(row[d - 1], power);
      }
      power = mont.mul(row[digits - 1], power); // power^(2^w)
    }
  }

  int window() {
    return window;
  }

  int exponentBits() {
    return exponentBits;
  }

  /**
   * {@code base^e} for each exponent, as chains of table entries multiplied by {@link
   * Montgomery#chainProducts} (eight at once on the native kernel).
   */
  int[][] pows(BigInteger[] exponents) {
    java.util.List<int[]> entries = new java.util.ArrayList<>();
    int[] lengths = new int[exponents.length];
    for (int k = 0; k < exponents.length; k++) {
      int before = entries.size();
      entries(exponents[k], entries);
      if (entries.size() == before) {
        entries.add(mont.one()); // e = 0
      }
      lengths[k] = entries.size() - before;
    }
    return mont.chainProducts(entries.toArray(new int[0][]), lengths);
  }

  /** The table entries whose product is {@code base^e}: one per non-zero digit of {@code e}. */
  void entries(BigInteger e, java.util.List<int[]> into) {
    if (e.signum() < 0 || e.bitLength() > exponentBits) {
      throw new IllegalArgumentException("exponent outside the table's " + exponentBits + " bits");
    }
    byte[] bytes = e.toByteArray(); // big-endian, a sign byte perhaps in front
    int bits = e.bitLength();
    for (int j = 0; j * window < bits; j++) {
      int bit = j * window;
      // the 24 bits from byte bit/8 (counted from the least significant) hold the whole digit
      int at = bytes.length - 1 - bit / 8;
      int word = 0;
      for (int b = 2; b >= 0; b--) {
        word = (word << 8) | (at - b >= 0 ? bytes[at - b] & 0xff : 0);
      }
      int digit = (word >>> (bit % 8)) & ((1 << window) - 1);
      if (digit != 0) {
        into.add(table[j][digit - 1]);
      }
    }
  }

  /** {@code base^e} in Montgomery form, for {@code 0 ≤ e < 2^exponentBits}. */
  int[] pow(BigInteger e) {
    java.util.List<int[]> factors = new java.util.ArrayList<>();
    entries(e, factors);
    if (factors.isEmpty()) {
      return mont.one();
    }
    int[] acc = factors.get(0).clone();
    for (int k = 1; k < factors.size(); k++) {
      mont.mulInto(acc, factors.get(k), acc);
    }
    return acc;
  }
}
