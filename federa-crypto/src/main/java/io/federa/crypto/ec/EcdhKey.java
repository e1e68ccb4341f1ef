package io.federa.crypto.ec;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A party's secret scalar for one ECDH-PSI run: multiplies Curve25519 points (u-coordinates, the
 * X25519 encoding) by it. The scalar is clamped as X25519 clamps (a multiple of the cofactor 8, so
 * small-order components of a received point vanish); multiplication commutes, so {@code a·(b·P) =
 * b·(a·P)} for any two keys, which is all ECDH-PSI needs.
 *
 * <p>The scalar never leaves this object: no accessor, no serialization, no {@code toString}.
 */
public final class EcdhKey {
  /** Size of an encoded point. */
  public static final int POINT_BYTES = 32;

  private final byte[] scalar;

  EcdhKey(byte[] scalar) {
    this.scalar = scalar;
  }

  /** A fresh random key from {@code random} (use a {@link SecureRandom}). */
  public static EcdhKey generate(SecureRandom random) {
    byte[] k = new byte[X25519.SCALAR_SIZE];
    random.nextBytes(k);
    return new EcdhKey(k);
  }

  /**
   * Writes {@code key·P} for the point at {@code in[inOff..inOff+32)} into {@code out[outOff..)}.
   *
   * @throws FederaException when the product is the identity (the input was a point of small order:
   *     never produced by hashing, so the peer sent malformed data)
   */
  public void multiply(byte[] in, int inOff, byte[] out, int outOff) {
    multiply(in, inOff, out, outOff, 1);
  }

  /**
   * {@code key·P} for {@code count} consecutive 32-byte points from {@code in[inOff..)} into {@code
   * out[outOff..)}, with the fastest implementation this machine has (same bytes).
   *
   * @throws FederaException as {@link #multiply(byte[], int, byte[], int)}
   */
  public void multiply(byte[] in, int inOff, byte[] out, int outOff, int count) {
    if (!X25519Multiplier.INSTANCE.multiply(scalar, in, inOff, out, outOff, count)) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          "a received curve point has small order (its product with the key is the identity);"
              + " the peer's PSI data is malformed or tampered with — rerun the intersection");
    }
  }

  /** The X25519 implementation in use: "avx512-ifma", "libsodium" or "bouncycastle". */
  public static String implementation() {
    return X25519Multiplier.INSTANCE.name();
  }

  /** {@code key·P} for the 32-byte encoded point {@code p}. */
  public byte[] multiply(byte[] p) {
    if (p.length != POINT_BYTES) {
      throw new IllegalArgumentException("a point is 32 bytes, got " + p.length);
    }
    byte[] out = new byte[POINT_BYTES];
    multiply(p, 0, out, 0);
    return out;
  }

  /** Overwrites the scalar; the key is unusable afterwards. */
  public void destroy() {
    Arrays.fill(scalar, (byte) 0);
  }

  @Override
  public String toString() {
    return "EcdhKey[secret]";
  }
}
