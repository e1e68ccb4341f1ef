package io.federa.ml.secureboost;

import io.federa.crypto.he.HePublicKey;
import io.federa.crypto.he.PackingScheme;
import java.math.BigInteger;

/**
 * The guest's fixed-point form of a row's gradient and hessian as three packed slots {@code (g⁺,
 * g⁻, h)} with {@code g = g⁺ − g⁻}: all non-negative, so sums never borrow across slots, and no
 * offset needs the number of rows summed (the guest never learns a host candidate's row count).
 * Each slot value is below {@code 2^53}, scaled by {@code 2^P} with {@code P} chosen per tree from
 * the largest |g| and h: the sums are exact integers, rounded once when read back, as precise as
 * the doubles the centralized GBDT adds.
 */
final class GradientSlots {
  static final int SLOTS = 3;
  private static final BigInteger MAX_VALUE = BigInteger.ONE.shiftLeft(53);

  private final int scale;

  private GradientSlots(int scale) {
    this.scale = scale;
  }

  /** The packing every party builds alike from the guest's key and the number of rows. */
  static PackingScheme scheme(HePublicKey key, int rows) {
    return PackingScheme.create(key, MAX_VALUE, Math.max(1, rows));
  }

  /** Candidate sums per ciphertext once compressed. */
  static int perCiphertext(PackingScheme scheme) {
    return scheme.capacity() / SLOTS;
  }

  /** The scale for this tree's gradients and hessians. */
  static GradientSlots of(double[] g, double[] h) {
    double most = Double.MIN_NORMAL;
    for (int i = 0; i < g.length; i++) {
      most = Math.max(most, Math.max(Math.abs(g[i]), h[i]));
    }
    return new GradientSlots(52 - Math.getExponent(most));
  }

  /** A row's three slot values. */
  long[] row(double g, double h) {
    long scaled = Math.round(Math.scalb(Math.abs(g), scale));
    return new long[] {g > 0 ? scaled : 0, g < 0 ? scaled : 0, Math.round(Math.scalb(h, scale))};
  }

  /** The (G, H) of decrypted slot sums {@code (G⁺, G⁻, H)} starting at {@code at}. */
  double[] sums(BigInteger[] slots, int at) {
    double g = Math.scalb(slots[at].subtract(slots[at + 1]).doubleValue(), -scale);
    return new double[] {g, Math.scalb(slots[at + 2].doubleValue(), -scale)};
  }
}
