package io.federa.crypto.he;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A signed fixed-point number in an additive scheme's plaintext space: value {@code =
 * signed(encoding) · 2^exponent}, where {@code signed(e) = e} for {@code e ≤ n/3} and {@code e − n}
 * for {@code e ≥ n − n/3}; the middle third is overflow. {@code boundBits} is a public,
 * data-independent upper bound on {@code log2 |signed(encoding)|} (from the encoder's declared
 * range, never from the value), carried through every operation so that an overflow is refused when
 * it could happen.
 */
public record EncodedNumber(
    HePublicKey publicKey, BigInteger encoding, int exponent, double bound) {
  public EncodedNumber {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(encoding, "encoding");
    if (encoding.signum() < 0 || encoding.compareTo(publicKey.modulus()) >= 0) {
      throw new FederaException(
          ErrorCode.INTERNAL, "an encoding must lie in [0, n); encode through FixedPointEncoder");
    }
  }

  /** The number {@code signed · 2^exponent} (reduced into {@code [0, n)}), with a public bound. */
  public static EncodedNumber ofSigned(
      HePublicKey key, BigInteger signed, int exponent, double bound) {
    if (signed.abs().compareTo(key.maxInt()) > 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "the integer does not fit the key's plaintext space");
    }
    return new EncodedNumber(key, signed.mod(key.modulus()), exponent, bound);
  }

  /** The signed integer behind the encoding; an encoding in the overflow band is refused. */
  public BigInteger signedValue() {
    return signed(publicKey, encoding);
  }

  static BigInteger signed(HePublicKey key, BigInteger encoding) {
    BigInteger max = key.maxInt();
    if (encoding.compareTo(max) <= 0) {
      return encoding;
    }
    BigInteger negative = encoding.subtract(key.modulus());
    if (negative.negate().compareTo(max) <= 0) {
      return negative;
    }
    throw new FederaException(
        ErrorCode.INVALID_INPUT,
        "the decrypted value lies in the overflow band (beyond the key's largest signed plaintext): a computation"
            + " exceeded the plaintext space; lower the encoder's precision or value range");
  }

  @Override
  public String toString() {
    return "EncodedNumber[exponent=" + exponent + ", bound=" + bound + "]";
  }
}
