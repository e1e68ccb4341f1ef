package io.federa.crypto.internal;

/**
 * The portable Java Montgomery multiplication behind {@link Montgomery} when the JDK's intrinsic is
 * not reachable (or a test asks for it): big-endian {@code int[]} operands of the modulus's length.
 */
final class PortableMontgomery {
  private static final long MASK = 0xffffffffL;

  private PortableMontgomery() {}

  /**
   * {@code out = a·b·R⁻¹ mod m} ({@code inv = −m⁻¹ mod 2^64}); {@code out} may be {@code a} or
   * {@code b}.
   */
  // Coarsely Integrated Operand Scanning on 32-bit limbs; the result is fully reduced.
  static void mul(int[] a, int[] b, int[] out, int[] mod, long inv) {
    int len = mod.length;
    long[] t = new long[len + 2]; // little-endian limbs
    long inv32 = inv & MASK;
    for (int i = 0; i < len; i++) {
      long ai = a[len - 1 - i] & MASK;
      long carry = 0;
      for (int j = 0; j < len; j++) {
        long s = t[j] + ai * (b[len - 1 - j] & MASK) + carry;
        t[j] = s & MASK;
        carry = s >>> 32;
      }
      long s = t[len] + carry;
      t[len] = s & MASK;
      t[len + 1] = s >>> 32;
      long m = (t[0] * inv32) & MASK;
      s = t[0] + m * (mod[len - 1] & MASK);
      carry = s >>> 32;
      for (int j = 1; j < len; j++) {
        s = t[j] + m * (mod[len - 1 - j] & MASK) + carry;
        t[j - 1] = s & MASK;
        carry = s >>> 32;
      }
      s = t[len] + carry;
      t[len - 1] = s & MASK;
      t[len] = t[len + 1] + (s >>> 32);
    }
    boolean subtract = t[len] != 0;
    if (!subtract) {
      subtract = true; // t == m also subtracts
      for (int j = len - 1; j >= 0; j--) {
        long mj = mod[len - 1 - j] & MASK;
        if (t[j] != mj) {
          subtract = t[j] > mj;
          break;
        }
      }
    }
    if (subtract) {
      long borrow = 0;
      for (int j = 0; j < len; j++) {
        long d = t[j] - (mod[len - 1 - j] & MASK) - borrow;
        t[j] = d & MASK;
        borrow = (d >>> 63);
      }
    }
    for (int j = 0; j < len; j++) {
      out[len - 1 - j] = (int) t[j];
    }
  }
}
