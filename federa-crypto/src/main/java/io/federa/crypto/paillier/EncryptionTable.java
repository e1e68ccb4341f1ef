package io.federa.crypto.paillier;

import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The fixed-base table for {@code h_s^α} (see {@link PaillierPublicKey}): {@code table[j][d−1] =
 * h_s^(d·2^(w·j))} in Montgomery form, so that {@code h_s^α = Π_j table[j][digit_j(α) − 1]}.
 */
final class EncryptionTable {
  private final Montgomery mont;
  private final SecureRandom random;
  private final int window;
  private final int exponentBits;
  private final int[][][] table;

  /** The window of the table for bulk encryption ({@link PaillierPublicKey#prepareForBulk}). */
  static final int BULK_WINDOW = 12;

  EncryptionTable(PaillierPublicKey key, SecureRandom random) {
    // about 53 MB at 2048 bits (103 multiplications per encryption), 37 MB at 3072, 67 MB at 4096
    this(key, random, key.modulusBits() <= 2048 ? 10 : 8);
  }

  EncryptionTable(PaillierPublicKey key, SecureRandom random, int window) {
    this.mont = key.montgomery();
    this.random = random;
    this.exponentBits = key.shortExponentBits();
    this.window = window;
    BigInteger base = key.randomnessBase();
    if (base == null) { // a standard key: this process draws its own base, trusting nobody's
      BigInteger n = key.modulus();
      BigInteger x;
      do {
        x = new BigInteger(n.bitLength(), random).mod(n);
      } while (x.signum() == 0 || !x.gcd(n).equals(BigInteger.ONE));
      BigInteger h = n.subtract(x.multiply(x).mod(n)); // −x² mod n
      base = h.modPow(n, key.nSquared());
    }
    int[] hs = mont.toMontgomery(base);
    int windows = (exponentBits + window - 1) / window;
    int digits = (1 << window) - 1;
    table = new int[windows][digits][];
    int[] power = hs;
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

  /** {@code h_s^α} for a fresh uniformly random {@code α} of the key's exponent size. */
  int[] randomNoise() {
    BigInteger alpha = new BigInteger(exponentBits, random);
    int[] acc = null;
    int mask = (1 << window) - 1;
    for (int j = 0; j < table.length; j++) {
      int digit = 0;
      int bit = j * window;
      for (int b = 0; b < window && bit + b < exponentBits; b++) {
        if (alpha.testBit(bit + b)) {
          digit |= 1 << b;
        }
      }
      digit &= mask;
      if (digit == 0) {
        continue;
      }
      int[] entry = table[j][digit - 1];
      acc = acc == null ? entry.clone() : mont.mulInto(acc, entry, acc);
    }
    return acc == null ? mont.one() : acc;
  }
}
