package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;

/**
 * A ciphertext of a fixed-point number: the group element (in Montgomery form modulo the key's
 * ciphertext modulus, {@code n²} for Paillier and {@code n} for OU), the exponent of its plaintext
 * and the public bound on the plaintext's size. Immutable; every operation returns a new
 * ciphertext.
 *
 * <p>Homomorphisms (Paillier 1999, section 5): {@code E(a)·E(b) = E(a + b)}, {@code E(a)·g^b = E(a
 * + b)}, {@code E(a)^k = E(k·a)}, {@code E(a)^−1 = E(−a)}.
 */
public final class Ciphertext {
  /** Bound of raw (packed) ciphertexts, whose overflow their packing scheme checks. */
  static final double RAW = -1;

  private final HePublicKey key;
  private final int[] value;
  private final int exponent;
  private final double bound;

  Ciphertext(HePublicKey key, int[] montgomeryValue, int exponent, double bound) {
    this.key = key;
    this.value = montgomeryValue;
    this.exponent = exponent;
    this.bound = bound;
  }

  public HePublicKey publicKey() {
    return key;
  }

  /** Exponent of the plaintext: value = integer · 2^exponent. */
  public int exponent() {
    return exponent;
  }

  /**
   * Public upper bound on {@code log2 |integer|} of the plaintext; −1 for raw (packed) ciphertexts.
   * Adding two ciphertexts adds the bounds as magnitudes ({@code log2(2^a + 2^b)}), so summing
   * {@code N} values grows it by {@code log2 N}; multiplying adds the logarithms.
   */
  public double bound() {
    return bound;
  }

  public boolean isRaw() {
    return bound == RAW;
  }

  int[] montgomeryValue() {
    return value;
  }

  /** The group element {@code c ∈ Z*_{n²}} (for serialisation). */
  BigInteger element() {
    return key.montgomery().toBig(value);
  }

  /** {@code E(a + b)}; exponents are aligned first (see {@link #withExponent}). */
  public Ciphertext add(Ciphertext other) {
    key.requireSameKey(other.key);
    if (isRaw() != other.isRaw()) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "a packed (raw) ciphertext cannot be added to an encoded one");
    }
    Ciphertext a = this;
    Ciphertext b = other;
    if (a.exponent != b.exponent) {
      int common = Math.min(a.exponent, b.exponent);
      a = a.withExponent(common);
      b = b.withExponent(common);
    }
    double sumBound = isRaw() ? RAW : checkedBound(sumOfBounds(a.bound, b.bound));
    int[] sum = key.montgomery().mul(a.value, b.value);
    return new Ciphertext(key, sum, a.exponent, sumBound);
  }

  /** {@code E(a + p)} for a plaintext {@code p}. */
  public Ciphertext addPlain(EncodedNumber plain) {
    key.requireSameKey(plain.publicKey());
    return add(
        new Ciphertext(key, key.plainElement(plain.encoding()), plain.exponent(), plain.bound()));
  }

  /** {@code E(k·a)}: the exponent is the sum of both exponents. */
  public Ciphertext multiply(EncodedNumber scalar) {
    key.requireSameKey(scalar.publicKey());
    BigInteger k = scalar.signedValue();
    double productBound = isRaw() ? RAW : checkedBound(bound + scalar.bound());
    Montgomery m = key.montgomery();
    int[] base = k.signum() < 0 ? inverse() : value;
    return new Ciphertext(key, m.pow(base, k.abs()), exponent + scalar.exponent(), productBound);
  }

  /**
   * The same ciphertext read as {@code a·2^k}: only the exponent changes, no group operation (a
   * multiplication by 0.25 is {@code scaleByPowerOfTwo(-2)}).
   */
  public Ciphertext scaleByPowerOfTwo(int k) {
    return new Ciphertext(key, value, exponent + k, bound);
  }

  /** {@code E(−a)}. */
  public Ciphertext negate() {
    return new Ciphertext(key, inverse(), exponent, bound);
  }

  /**
   * The same plaintext under fresh randomness: send this, not a product that might be {@code 1}.
   */
  public Ciphertext rerandomize() {
    int[] noise = key.randomNoise();
    return new Ciphertext(key, key.montgomery().mulInto(noise, value, noise), exponent, bound);
  }

  /**
   * The same value with a lower exponent: the plaintext integer is multiplied by {@code 2^(exponent
   * − target)}, which costs that many Montgomery squarings.
   */
  public Ciphertext withExponent(int target) {
    if (target == exponent) {
      return this;
    }
    if (target > exponent) {
      throw new FederaException(
          ErrorCode.INTERNAL,
          "an exponent can only be lowered (from " + exponent + " to " + target + ")");
    }
    int shift = exponent - target;
    if (shift > 4096) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "aligning exponents "
              + exponent
              + " and "
              + target
              + " would need "
              + shift
              + " doublings; encode both sides with the same precision");
    }
    double shifted = isRaw() ? RAW : checkedBound(bound + shift);
    Montgomery m = key.montgomery();
    int[] v = value.clone();
    for (int i = 0; i < shift; i++) {
      m.squareInto(v, v);
    }
    return new Ciphertext(key, v, target, shifted);
  }

  /**
   * A raw (packed) ciphertext's plaintext times {@code 2^bits} — its slots moved up by that many
   * bits — at the cost of {@code bits} Montgomery squarings.
   */
  Ciphertext shiftRaw(int bits) {
    if (!isRaw() || bits < 0 || bits > 4096) {
      throw new FederaException(
          ErrorCode.INTERNAL, "only a raw ciphertext shifts, by 0 to 4096 bits (" + bits + ")");
    }
    Montgomery m = key.montgomery();
    int[] v = value.clone();
    for (int i = 0; i < bits; i++) {
      m.squareInto(v, v);
    }
    return new Ciphertext(key, v, exponent, bound);
  }

  private int[] inverse() {
    Montgomery m = key.montgomery();
    return m.toMontgomery(key.inverse(m.toBig(value)));
  }

  /** {@code log2(2^a + 2^b)}, rounded up a little so that float error never under-counts. */
  static double sumOfBounds(double a, double b) {
    double hi = Math.max(a, b);
    double lo = Math.min(a, b);
    return hi + Math.log1p(Math.pow(2, lo - hi)) / Math.log(2) + 1e-9;
  }

  /** Refuses a result whose plaintext could leave [−n/3, n/3]: overflow is never silent. */
  double checkedBound(double bound) {
    int limit = key.maxInt().bitLength() - 1;
    if (!(bound <= limit)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "this operation could overflow the "
              + key.scheme().fateName()
              + " key's plaintext space (bound 2^"
              + String.format(java.util.Locale.ROOT, "%.1f", bound)
              + " > 2^"
              + limit
              + "); lower the encoder's precision or range, or use a larger key");
    }
    return bound;
  }

  @Override
  public String toString() {
    return "Ciphertext[key=" + key.fingerprintHex() + ", exponent=" + exponent + "]";
  }
}
