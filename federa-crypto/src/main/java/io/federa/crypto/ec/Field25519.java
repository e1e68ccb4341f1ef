package io.federa.crypto.ec;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Small helpers on Bouncy Castle's {@link X25519Field} elements (ten 25/26-bit limbs, mod 2^255 −
 * 19).
 */
final class Field25519 {
  /** The Montgomery curve's coefficient A (RFC 9380 calls it J). */
  static final int J = 486662;

  private Field25519() {}

  static int[] constant(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      le[i] = be[be.length - 1 - i];
    }
    int[] z = fe();
    X25519Field.decode(le, 0, z);
    return z;
  }

  static int[] copy(int[] x) {
    int[] z = fe();
    X25519Field.copy(x, 0, z, 0);
    return z;
  }

  static int[] sqr(int[] x) {
    int[] z = fe();
    X25519Field.sqr(x, z);
    return z;
  }

  static int[] fe() {
    return X25519Field.create();
  }

  static int[] one() {
    int[] z = fe();
    X25519Field.one(z);
    return z;
  }

  static void setSmall(int[] z, int v) {
    X25519Field.zero(z);
    z[0] = v & 0x3ffffff;
    z[1] = v >>> 26;
  }

  static boolean isZero(int[] x) {
    int[] c = fe();
    X25519Field.copy(x, 0, c, 0);
    X25519Field.normalize(c);
    return X25519Field.isZeroVar(c);
  }

  static boolean equal(int[] a, int[] b) {
    int[] d = fe();
    X25519Field.sub(a, b, d);
    X25519Field.carry(d);
    return isZero(d);
  }

  static int sgn0(int[] x) {
    int[] c = fe();
    X25519Field.copy(x, 0, c, 0);
    X25519Field.normalize(c);
    byte[] b = new byte[32];
    X25519Field.encode(c, b, 0);
    return b[0] & 1;
  }

  static int[] withSign(int[] y, int sign) {
    X25519Field.normalize(y);
    if (sgn0(y) != sign) {
      X25519Field.negate(y, y);
      X25519Field.carry(y);
      X25519Field.normalize(y);
    }
    return y;
  }

  /** x³ + J·x² + x. */
  static int[] curveRhs(int[] x) {
    int[] t = fe();
    int[] j = fe();
    setSmall(j, J);
    X25519Field.add(x, j, t);
    X25519Field.carry(t);
    X25519Field.mul(t, x, t);
    X25519Field.addOne(t);
    X25519Field.mul(t, x, t);
    return t;
  }

  static BigInteger toBig(int[] x) {
    int[] c = fe();
    X25519Field.copy(x, 0, c, 0);
    X25519Field.normalize(c);
    byte[] le = new byte[32];
    X25519Field.encode(c, le, 0);
    return littleEndian(le);
  }

  static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }
}
