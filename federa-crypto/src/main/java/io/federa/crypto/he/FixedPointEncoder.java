package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Encodes doubles as fixed-point integers with {@code fractionalBits} bits after the binary point
 * (exponent {@code −fractionalBits}), for values with {@code |x| < 2^magnitudeBits}. Every number
 * this encoder makes has the same exponent, so additions never need alignment, and the same public
 * bound {@code fractionalBits + magnitudeBits}, which does not reveal the value.
 */
public final class FixedPointEncoder {
  /** 2^-32 ≈ 2.3e-10: finer than float32, enough for gradients and scores. */
  public static final int DEFAULT_FRACTIONAL_BITS = 32;

  /** Values below 2^32 in magnitude. */
  public static final int DEFAULT_MAGNITUDE_BITS = 32;

  private final HePublicKey key;
  private final int fractionalBits;
  private final int magnitudeBits;
  private final double limit;

  public FixedPointEncoder(HePublicKey key, int fractionalBits, int magnitudeBits) {
    this.key = Objects.requireNonNull(key, "key");
    if (fractionalBits < 0 || fractionalBits > 1000) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "fractional bits must be in [0, 1000], got " + fractionalBits);
    }
    if (magnitudeBits < 1 || magnitudeBits > 1000) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "magnitude bits must be in [1, 1000], got " + magnitudeBits);
    }
    if (fractionalBits + magnitudeBits >= key.maxInt().bitLength()) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "an encoding of "
              + (fractionalBits + magnitudeBits)
              + " bits does not fit a "
              + key.modulusBits()
              + "-bit key's plaintext space; lower the precision or the range");
    }
    this.fractionalBits = fractionalBits;
    this.magnitudeBits = magnitudeBits;
    this.limit = Math.scalb(1.0, magnitudeBits);
  }

  /** Default precision (2^-32) and range (|x| < 2^32). */
  public static FixedPointEncoder defaults(HePublicKey key) {
    return new FixedPointEncoder(key, DEFAULT_FRACTIONAL_BITS, DEFAULT_MAGNITUDE_BITS);
  }

  public HePublicKey publicKey() {
    return key;
  }

  public int fractionalBits() {
    return fractionalBits;
  }

  public int magnitudeBits() {
    return magnitudeBits;
  }

  /** The public bound of every encoding: {@code fractionalBits + magnitudeBits}. */
  public int boundBits() {
    return fractionalBits + magnitudeBits;
  }

  /** Rounds {@code x·2^fractionalBits} to the nearest integer (ties away from zero). */
  public EncodedNumber encode(double x) {
    return new EncodedNumber(key, toEncoding(scaled(x)), -fractionalBits, boundBits());
  }

  /** The signed integer {@code round(x·2^fractionalBits)}, checked against the range. */
  public BigInteger scaled(double x) {
    if (!Double.isFinite(x)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "cannot encode " + x + ": only finite numbers can be encrypted");
    }
    if (Math.abs(x) >= limit) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "cannot encode "
              + x
              + ": the encoder's range is |x| < 2^"
              + magnitudeBits
              + "; scale the data or raise magnitudeBits");
    }
    double s = Math.scalb(x, fractionalBits);
    if (Math.abs(s) < 0x1p62) {
      return BigInteger.valueOf(Math.round(s));
    }
    return new BigDecimal(s).setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
  }

  /** An exact integer with exponent 0 and the encoder's bound (for counts and ids). */
  public EncodedNumber encodeInteger(long v) {
    if (Math.abs((double) v) >= limit) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "cannot encode " + v + ": the encoder's range is |x| < 2^" + magnitudeBits);
    }
    return new EncodedNumber(key, toEncoding(BigInteger.valueOf(v)), 0, magnitudeBits);
  }

  private BigInteger toEncoding(BigInteger signed) {
    return signed.signum() >= 0 ? signed : signed.add(key.modulus());
  }

  /** The double of any encoded number (whatever its exponent). */
  public static double decode(EncodedNumber number) {
    return decode(number.signedValue(), number.exponent());
  }

  /** The double {@code signed · 2^exponent}, rounded once. */
  public static double decode(BigInteger signed, int exponent) {
    int excess = signed.bitLength() - 62;
    if (excess <= 0) {
      return Math.scalb((double) signed.longValue(), exponent);
    }
    // keep 62 significant bits, then scale: exact to double precision
    return Math.scalb((double) signed.shiftRight(excess).longValue(), exponent + excess);
  }
}
