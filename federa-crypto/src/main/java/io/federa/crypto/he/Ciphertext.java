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

  /**
   * Element-wise {@code E(a_i + b_i)} in one batch: the products eight at a time on the native
   * kernel where it is in use (see the package documentation); the same ciphertexts as {@link #add}
   * one by one.
   */
  public static Ciphertext[] addAll(Ciphertext[] a, Ciphertext[] b) {
    if (a.length != b.length) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "vectors of " + a.length + " and " + b.length + " elements cannot be combined");
    }
    Ciphertext[] out = new Ciphertext[a.length];
    int[][] pairs = new int[2 * a.length][];
    int[] at = new int[a.length];
    int count = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i].exponent != b[i].exponent || a[i].key != b[i].key || a[i].isRaw() != b[i].isRaw()) {
        out[i] = a[i].add(b[i]); // aligns exponents, or names what cannot be combined
        continue;
      }
      pairs[2 * count] = a[i].value;
      pairs[2 * count + 1] = b[i].value;
      at[count++] = i;
    }
    if (count == 0) {
      return out;
    }
    int[] twos = new int[count];
    java.util.Arrays.fill(twos, 2);
    HePublicKey key = a[at[0]].key;
    int[][] sums = key.montgomery().chainProducts(java.util.Arrays.copyOf(pairs, 2 * count), twos);
    for (int k = 0; k < count; k++) {
      Ciphertext x = a[at[k]];
      Ciphertext y = b[at[k]];
      double bound = x.isRaw() ? RAW : x.checkedBound(sumOfBounds(x.bound, y.bound));
      out[at[k]] = new Ciphertext(x.key, sums[k], x.exponent, bound);
    }
    return out;
  }

  /**
   * Element-wise {@code E(k_i·a_i)} in one batch: the exponentiations eight at a time on the native
   * kernel, in constant time in the scalars' values, where it is in use; the same ciphertexts as
   * {@link #multiply} one by one.
   */
  public static Ciphertext[] multiplyAll(Ciphertext[] a, EncodedNumber[] scalars) {
    if (a.length != scalars.length) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          a.length + " ciphertexts but " + scalars.length + " scalars cannot be multiplied");
    }
    if (a.length == 0) {
      return new Ciphertext[0];
    }
    HePublicKey key = a[0].key;
    int[][] bases = new int[a.length][];
    BigInteger[] exponents = new BigInteger[a.length];
    double[] bounds = new double[a.length];
    int[] negative = new int[a.length];
    int negatives = 0;
    for (int i = 0; i < a.length; i++) {
      key.requireSameKey(a[i].key);
      key.requireSameKey(scalars[i].publicKey());
      BigInteger k = scalars[i].signedValue();
      bounds[i] = a[i].isRaw() ? RAW : a[i].checkedBound(a[i].bound + scalars[i].bound());
      bases[i] = a[i].value;
      exponents[i] = k.abs();
      if (k.signum() < 0) {
        negative[negatives++] = i;
      }
    }
    if (negatives > 0) { // a negative scalar raises the inverse: all inverses for one inversion
      int[][] toInvert = new int[negatives][];
      for (int j = 0; j < negatives; j++) {
        toInvert[j] = bases[negative[j]];
      }
      int[][] inverses = inverses(key, toInvert);
      for (int j = 0; j < negatives; j++) {
        bases[negative[j]] = inverses[j];
      }
    }
    int[][] powers = key.montgomery().powers(bases, exponents);
    Ciphertext[] out = new Ciphertext[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = new Ciphertext(key, powers[i], a[i].exponent + scalars[i].exponent(), bounds[i]);
    }
    return out;
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

  /**
   * The inverses of Montgomery-form group elements with one inversion (Montgomery's trick: prefix
   * products, the inverse of the last, then back down at two products per element).
   */
  private static int[][] inverses(HePublicKey key, int[][] values) {
    Montgomery m = key.montgomery();
    int n = values.length;
    int[][] prefix = new int[n][];
    prefix[0] = values[0];
    for (int i = 1; i < n; i++) {
      prefix[i] = m.mul(prefix[i - 1], values[i]);
    }
    int[] inv = m.toMontgomery(key.inverse(m.toBig(prefix[n - 1])));
    int[][] out = new int[n][];
    for (int i = n - 1; i > 0; i--) {
      out[i] = m.mul(inv, prefix[i - 1]);
      inv = m.mul(inv, values[i]);
    }
    out[0] = inv;
    return out;
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
