package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.ComputingEngine;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Vector forms of the homomorphic operations, run on the computing engine across all cores:
 * encrypt, decrypt, element-wise add, multiply by plaintexts, and the encrypted dot product {@code
 * Σ [[a_i]]·x_i} computed as one multi-exponentiation (see {@link MultiExponentiation}).
 */
public final class EncryptedVectors {
  /** Elements per partition: a few milliseconds of work each. */
  private static final int GRAIN = 16;

  private EncryptedVectors() {}

  public static Ciphertext[] encrypt(
      FixedPointEncoder encoder, double[] values, ComputingEngine engine) {
    HePublicKey key = encoder.publicKey();
    key.prepareForBulk(values.length);
    Ciphertext[] out = new Ciphertext[values.length];
    engine.forEachRange(
        values.length,
        GRAIN,
        (from, to) -> {
          EncodedNumber[] part = new EncodedNumber[to - from];
          for (int i = from; i < to; i++) {
            part[i - from] = encoder.encode(values[i]);
          }
          System.arraycopy(key.encrypt(part), 0, out, from, part.length);
        });
    return out;
  }

  public static double[] decrypt(HePrivateKey key, Ciphertext[] values, ComputingEngine engine) {
    double[] out = new double[values.length];
    engine.forEachRange(
        values.length,
        GRAIN,
        (from, to) ->
            System.arraycopy(
                key.decrypt(Arrays.copyOfRange(values, from, to)), 0, out, from, to - from));
    return out;
  }

  /** Element-wise {@code a_i + b_i}. */
  public static Ciphertext[] add(Ciphertext[] a, Ciphertext[] b, ComputingEngine engine) {
    requireSameLength(a.length, b.length);
    Ciphertext[] out = new Ciphertext[a.length];
    engine.forEachRange(
        a.length,
        1024,
        (from, to) ->
            System.arraycopy(
                Ciphertext.addAll(Arrays.copyOfRange(a, from, to), Arrays.copyOfRange(b, from, to)),
                0,
                out,
                from,
                to - from));
    return out;
  }

  /** Element-wise {@code a_i · x_i} for plaintext doubles. */
  public static Ciphertext[] multiply(
      Ciphertext[] a, double[] x, FixedPointEncoder encoder, ComputingEngine engine) {
    requireSameLength(a.length, x.length);
    Ciphertext[] out = new Ciphertext[a.length];
    engine.forEachRange(
        a.length,
        GRAIN,
        (from, to) -> {
          EncodedNumber[] scalars = new EncodedNumber[to - from];
          for (int i = from; i < to; i++) {
            scalars[i - from] = encoder.encode(x[i]);
          }
          System.arraycopy(
              Ciphertext.multiplyAll(Arrays.copyOfRange(a, from, to), scalars),
              0,
              out,
              from,
              to - from);
        });
    return out;
  }

  /**
   * {@code E(Σ a_i·x_i)}. Terms are split by the sign of {@code x_i}: {@code Π_{x≥0} c_i^{x_i} ·
   * (Π_{x<0} c_i^{|x_i|})⁻¹}, each product a multi-exponentiation, with one inversion at the end.
   * The work is split into one chunk per core.
   */
  public static Ciphertext dot(
      Ciphertext[] a, double[] x, FixedPointEncoder encoder, ComputingEngine engine) {
    requireSameLength(a.length, x.length);
    if (a.length == 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "a dot product needs at least one term");
    }
    HePublicKey key = a[0].publicKey();
    key.requireSameKey(encoder.publicKey());
    int exponent = Integer.MAX_VALUE;
    double bound = 0;
    for (Ciphertext c : a) {
      key.requireSameKey(c.publicKey());
      if (c.isRaw()) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT, "a dot product needs encoded, not packed, ciphertexts");
      }
      exponent = Math.min(exponent, c.exponent());
      bound = Math.max(bound, c.bound());
    }
    int n = a.length;
    long[] positive = new long[n];
    long[] negative = new long[n];
    int[][] bases = new int[n][];
    int maxShift = 0;
    for (int i = 0; i < n; i++) {
      // a ciphertext with a larger exponent is aligned by shifting the plaintext scalar instead
      int shift = a[i].exponent() - exponent;
      maxShift = Math.max(maxShift, shift);
      BigInteger k = encoder.scaled(x[i]).shiftLeft(shift);
      if (k.bitLength() > 62) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "dot-product scalars must fit 62 bits after encoding; lower the encoder's precision or"
                + " encode the ciphertexts with one exponent");
      }
      long v = k.longValue();
      if (v >= 0) {
        positive[i] = v;
      } else {
        negative[i] = -v;
      }
      bases[i] = a[i].montgomeryValue();
    }
    double resultBound =
        a[0].checkedBound(
            bound + encoder.boundBits() + maxShift + Math.log(n) / Math.log(2) + 1e-9);
    Montgomery m = key.montgomery();
    int chunks = Math.max(1, Math.min(engine.parallelism(), n / 256));
    int chunk = (n + chunks - 1) / chunks;
    int[][] partial =
        engine.aggregate(
            chunks,
            1,
            () -> null,
            (acc, from, to) -> {
              int[][] r = acc;
              for (int c = from; c < to; c++) {
                int lo = c * chunk;
                int hi = Math.min(n, lo + chunk);
                int[] pos = MultiExponentiation.product(m, bases, positive, lo, hi);
                int[] neg = MultiExponentiation.product(m, bases, negative, lo, hi);
                r =
                    r == null
                        ? new int[][] {pos, neg}
                        : new int[][] {m.mul(r[0], pos), m.mul(r[1], neg)};
              }
              return r;
            },
            (l, r) ->
                l == null ? r : r == null ? l : new int[][] {m.mul(l[0], r[0]), m.mul(l[1], r[1])});
    int[] pos = partial[0];
    int[] neg = partial[1];
    BigInteger negElement = m.toBig(neg);
    int[] result =
        negElement.equals(BigInteger.ONE)
            ? pos
            : m.mul(pos, m.toMontgomery(key.inverse(negElement)));
    return new Ciphertext(key, result, exponent - encoder.fractionalBits(), resultBound);
  }

  private static void requireSameLength(int a, int b) {
    if (a != b) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "vectors of " + a + " and " + b + " elements cannot be combined");
    }
  }
}
