package io.federa.crypto.ec;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * RFC 9380 suite {@code curve25519_XMD:SHA-512_ELL2_RO_}: hashes a message to a point of the
 * prime-order subgroup of Curve25519 (Montgomery form {@code v² = u³ + 486662·u² + u}) and returns
 * its u-coordinate in the X25519 encoding (32 bytes, little-endian), ready for {@link EcdhKey}.
 *
 * <p>Steps, as the RFC names them: {@code hash_to_field} (expand_message_xmd with SHA-512 to 2 × 48
 * bytes, each reduced mod p), {@code map_to_curve} (Elligator 2, Z = 2) on each, point addition,
 * {@code clear_cofactor} (× 8). Field arithmetic is Bouncy Castle's {@link X25519Field}. The square
 * roots use a variable-time routine: the time taken depends on the id being hashed, which a remote
 * party cannot observe per id in a batch; it is not meant for use where an attacker times single
 * hashes on the same machine.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Curve25519HashToCurve {
  /** p = 2^255 − 19. */
  public static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /** The suite identifier, to build domain separation tags from. */
  public static final String SUITE = "curve25519_XMD:SHA-512_ELL2_RO_";

  private static final int J = 486662;
  private static final int L = 48;
  private final byte[] dst;

  public Curve25519HashToCurve(byte[] dst) {
    if (dst.length == 0 || dst.length > 255) {
      throw new IllegalArgumentException("domain separation tag must be 1..255 bytes");
    }
    this.dst = dst.clone();
  }

  public Curve25519HashToCurve(String dst) {
    this(dst.getBytes(StandardCharsets.UTF_8));
  }

  /** hash_to_curve(msg), returned as the 32-byte little-endian u-coordinate. */
  public byte[] hashToU(byte[] msg) {
    int[][] u = hashToField(msg);
    int[][] q0 = mapToCurve(u[0]);
    int[][] q1 = mapToCurve(u[1]);
    int[] x = addX(q0, q1);
    int[] out = clearCofactorX(x);
    byte[] enc = new byte[32];
    X25519Field.normalize(out);
    X25519Field.encode(out, enc, 0);
    return enc;
  }

  // ---- RFC 9380 steps (package-private for the known-answer tests) ----

  int[][] hashToField(byte[] msg) {
    byte[] uniform = ExpandMessageXmd.sha512(msg, dst, 2 * L);
    return new int[][] {reduce48(uniform, 0), reduce48(uniform, L)};
  }

  /** Elligator 2 for curve25519 (RFC 9380 section 6.7.1, J = 486662, K = 1, Z = 2): (x, y). */
  static int[][] mapToCurve(int[] u) {
    int[] tv = sqr(u);
    X25519Field.mul(tv, 2, tv);
    X25519Field.addOne(tv);
    int[] x1 = fe();
    if (isZero(tv)) {
      setSmall(x1, J);
      X25519Field.negate(x1, x1);
      X25519Field.carry(x1);
    } else {
      int[] inv = fe();
      X25519Field.inv(tv, inv);
      X25519Field.mul(inv, J, x1);
      X25519Field.negate(x1, x1);
      X25519Field.carry(x1);
    }
    X25519Field.normalize(x1);
    int[] y = fe();
    if (X25519Field.sqrtRatioVar(curveRhs(x1), one(), y)) {
      return new int[][] {x1, withSign(y, 1)};
    }
    int[] x2 = fe();
    X25519Field.negate(x1, x2);
    X25519Field.carry(x2);
    int[] j = fe();
    setSmall(j, J);
    X25519Field.sub(x2, j, x2);
    X25519Field.carry(x2);
    X25519Field.normalize(x2);
    if (!X25519Field.sqrtRatioVar(curveRhs(x2), one(), y)) {
      throw new IllegalStateException("Elligator 2: neither g(x1) nor g(x2) is a square");
    }
    return new int[][] {x2, withSign(y, 0)};
  }

  /** The u-coordinate of the sum of two affine points. */
  static int[] addX(int[][] p, int[][] q) {
    int[] lambda = fe();
    int[] num = fe();
    int[] den = fe();
    if (equal(p[0], q[0])) {
      int[] ySum = fe();
      X25519Field.add(p[1], q[1], ySum);
      X25519Field.carry(ySum);
      if (isZero(ySum)) {
        throw new IllegalStateException("hash_to_curve reached the identity (probability 2^-250)");
      }
      // doubling: lambda = (3x² + 2Jx + 1) / (2y)
      int[] x2 = sqr(p[0]);
      X25519Field.mul(x2, 3, num);
      int[] t = fe();
      X25519Field.mul(p[0], 2 * J, t);
      X25519Field.add(num, t, num);
      X25519Field.carry(num);
      X25519Field.addOne(num);
      X25519Field.mul(p[1], 2, den);
    } else {
      X25519Field.sub(q[1], p[1], num);
      X25519Field.carry(num);
      X25519Field.sub(q[0], p[0], den);
      X25519Field.carry(den);
    }
    int[] inv = fe();
    X25519Field.inv(den, inv);
    X25519Field.mul(num, inv, lambda);
    int[] x3 = sqr(lambda);
    int[] j = fe();
    setSmall(j, J);
    X25519Field.sub(x3, j, x3);
    X25519Field.carry(x3);
    X25519Field.sub(x3, p[0], x3);
    X25519Field.carry(x3);
    X25519Field.sub(x3, q[0], x3);
    X25519Field.carry(x3);
    X25519Field.normalize(x3);
    return x3;
  }

  /** The u-coordinate of 8·P from that of P: three x-only doublings. */
  static int[] clearCofactorX(int[] x) {
    int[] xx = fe();
    int[] zz = one();
    X25519Field.copy(x, 0, xx, 0);
    int[] a = fe();
    int[] b = fe();
    int[] c = fe();
    for (int i = 0; i < 3; i++) {
      // X' = (X² − Z²)², Z' = 4XZ(X² + J·XZ + Z²)
      int[] x2 = sqr(xx);
      int[] z2 = sqr(zz);
      int[] xz = fe();
      X25519Field.mul(xx, zz, xz);
      X25519Field.sub(x2, z2, a);
      X25519Field.carry(a);
      X25519Field.sqr(a, a);
      X25519Field.mul(xz, J, b);
      X25519Field.add(b, x2, b);
      X25519Field.carry(b);
      X25519Field.add(b, z2, b);
      X25519Field.carry(b);
      X25519Field.mul(xz, 4, c);
      X25519Field.mul(c, b, zz);
      X25519Field.copy(a, 0, xx, 0);
    }
    if (isZero(zz)) {
      throw new IllegalStateException("hash_to_curve reached the identity (probability 2^-250)");
    }
    int[] inv = fe();
    X25519Field.inv(zz, inv);
    int[] out = fe();
    X25519Field.mul(xx, inv, out);
    X25519Field.normalize(out);
    return out;
  }

  /** x³ + J·x² + x. */
  private static int[] curveRhs(int[] x) {
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

  /** Reduces the 48-byte big-endian integer at {@code off} mod p: lo + 19·(v >> 255). */
  private static int[] reduce48(byte[] be, int off) {
    byte[] le = new byte[L + 1];
    for (int i = 0; i < L; i++) {
      le[i] = be[off + L - 1 - i];
    }
    byte[] hiBytes = new byte[32];
    for (int i = 0; i < 17; i++) {
      hiBytes[i] = (byte) (((le[31 + i] & 0xff) >>> 7) | ((le[32 + i] & 0xff) << 1));
    }
    int[] lo = fe();
    X25519Field.decode(le, 0, lo); // bit 255 masked off
    int[] hi = fe();
    X25519Field.decode(hiBytes, 0, hi);
    X25519Field.mul(hi, 19, hi);
    X25519Field.add(lo, hi, lo);
    X25519Field.carry(lo);
    X25519Field.normalize(lo);
    return lo;
  }

  private static int[] withSign(int[] y, int sign) {
    X25519Field.normalize(y);
    if (sgn0(y) != sign) {
      X25519Field.negate(y, y);
      X25519Field.carry(y);
      X25519Field.normalize(y);
    }
    return y;
  }

  static int sgn0(int[] x) {
    int[] c = fe();
    X25519Field.copy(x, 0, c, 0);
    X25519Field.normalize(c);
    byte[] b = new byte[32];
    X25519Field.encode(c, b, 0);
    return b[0] & 1;
  }

  private static boolean isZero(int[] x) {
    int[] c = fe();
    X25519Field.copy(x, 0, c, 0);
    X25519Field.normalize(c);
    return X25519Field.isZeroVar(c);
  }

  private static boolean equal(int[] a, int[] b) {
    int[] d = fe();
    X25519Field.sub(a, b, d);
    X25519Field.carry(d);
    return isZero(d);
  }

  private static int[] sqr(int[] x) {
    int[] z = fe();
    X25519Field.sqr(x, z);
    return z;
  }

  private static int[] fe() {
    return X25519Field.create();
  }

  private static int[] one() {
    int[] z = fe();
    X25519Field.one(z);
    return z;
  }

  private static void setSmall(int[] z, int v) {
    X25519Field.zero(z);
    z[0] = v & 0x3ffffff;
    z[1] = v >>> 26;
  }

  // ---- conversions for tests ----

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
