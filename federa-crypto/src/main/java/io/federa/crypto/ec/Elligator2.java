package io.federa.crypto.ec;

import static io.federa.crypto.ec.Field25519.J;
import static io.federa.crypto.ec.Field25519.constant;
import static io.federa.crypto.ec.Field25519.copy;
import static io.federa.crypto.ec.Field25519.curveRhs;
import static io.federa.crypto.ec.Field25519.equal;
import static io.federa.crypto.ec.Field25519.fe;
import static io.federa.crypto.ec.Field25519.isZero;
import static io.federa.crypto.ec.Field25519.one;
import static io.federa.crypto.ec.Field25519.setSmall;
import static io.federa.crypto.ec.Field25519.sgn0;
import static io.federa.crypto.ec.Field25519.sqr;
import static io.federa.crypto.ec.Field25519.withSign;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * RFC 9380's map_to_curve for curve25519 (Elligator 2, Z = 2), the sum of the two mapped points and
 * the cofactor clearing: in projective form for batches (appendix G.2.1, no inversion per point)
 * and in affine form as the reference the projective one is checked against and falls back to.
 */
final class Elligator2 {
  private static final BigInteger P = Curve25519HashToCurve.P;

  private Elligator2() {}

  /** sqrt(−1), 2^((p+3)/8) and J as field elements. */
  private static final int[] SQRT_M1 =
      constant(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P));

  private static final int[] C2 =
      constant(BigInteger.TWO.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P));

  /**
   * RFC 9380 appendix G.2.1, map_to_curve_elligator2_curve25519: {@code {xn, xd, y}} with x =
   * xn/xd; the same point as {@link #mapToCurve(int[])}.
   */
  static int[][] mapProjective(int[] u) {
    int[] tv1 = sqr(u);
    X25519Field.mul(tv1, 2, tv1);
    X25519Field.carry(tv1);
    int[] xd = copy(tv1);
    X25519Field.addOne(xd);
    X25519Field.carry(xd);
    int[] x1n = fe();
    setSmall(x1n, J);
    X25519Field.negate(x1n, x1n);
    X25519Field.carry(x1n);
    int[] tv2 = sqr(xd);
    int[] gxd = fe();
    X25519Field.mul(tv2, xd, gxd);
    int[] gx1 = fe();
    X25519Field.mul(tv1, J, gx1);
    X25519Field.carry(gx1);
    X25519Field.mul(gx1, x1n, gx1);
    X25519Field.add(gx1, tv2, gx1);
    X25519Field.carry(gx1);
    X25519Field.mul(gx1, x1n, gx1);
    int[] tv3 = sqr(gxd);
    X25519Field.sqr(tv3, tv2);
    X25519Field.mul(tv3, gxd, tv3);
    X25519Field.mul(tv3, gx1, tv3);
    X25519Field.mul(tv2, tv3, tv2);
    int[] y11 = powPm5d8(tv2);
    X25519Field.mul(y11, tv3, y11);
    int[] y12 = fe();
    X25519Field.mul(y11, SQRT_M1, y12);
    X25519Field.sqr(y11, tv2);
    X25519Field.mul(tv2, gxd, tv2);
    int[] y1 = equal(tv2, gx1) ? y11 : y12;
    int[] x2n = fe();
    X25519Field.mul(x1n, tv1, x2n);
    int[] y21 = fe();
    X25519Field.mul(y11, u, y21);
    X25519Field.mul(y21, C2, y21);
    int[] y22 = fe();
    X25519Field.mul(y21, SQRT_M1, y22);
    int[] gx2 = fe();
    X25519Field.mul(gx1, tv1, gx2);
    X25519Field.sqr(y21, tv2);
    X25519Field.mul(tv2, gxd, tv2);
    int[] y2 = equal(tv2, gx2) ? y21 : y22;
    X25519Field.sqr(y1, tv2);
    X25519Field.mul(tv2, gxd, tv2);
    boolean e3 = equal(tv2, gx1);
    int[] xn = e3 ? x1n : x2n;
    int[] y = copy(e3 ? y1 : y2);
    X25519Field.normalize(y);
    boolean e4 = sgn0(y) == 1;
    if (e3 ^ e4) {
      X25519Field.negate(y, y);
      X25519Field.carry(y);
    }
    // x = xn / xd, so y is the square root of g(x) / xd^3... scaled: the RFC returns (xn, xd, y, 1)
    return new int[][] {xn, xd, y};
  }

  /**
   * {@code (X : Z)} of {@code 8·(P0 + P1)} for points {@code {xn, xd, y}}; null when P0 = ±P1 or
   * the result is the identity (left to the affine path).
   */
  static int[][] sumTimesEight(int[][] p0, int[][] p1) {
    int[] x0n = p0[0];
    int[] x0d = p0[1];
    int[] x1n = p1[0];
    int[] x1d = p1[1];
    // λ = N / D with N = (y1 − y0)·x0d·x1d, D = x1n·x0d − x0n·x1d
    int[] dd = fe();
    int[] t = fe();
    X25519Field.mul(x1n, x0d, dd);
    X25519Field.mul(x0n, x1d, t);
    X25519Field.sub(dd, t, dd);
    X25519Field.carry(dd);
    if (isZero(dd)) {
      return null;
    }
    int[] dens = fe();
    X25519Field.mul(x0d, x1d, dens);
    int[] nn = fe();
    X25519Field.sub(p1[2], p0[2], nn);
    X25519Field.carry(nn);
    X25519Field.mul(nn, dens, nn);
    // X = N²·x0d·x1d − D²·(J·x0d·x1d + x0n·x1d + x1n·x0d), Z = D²·x0d·x1d
    int[] d2 = sqr(dd);
    int[] xx = sqr(nn);
    X25519Field.mul(xx, dens, xx);
    int[] s = fe();
    X25519Field.mul(dens, J, s);
    X25519Field.carry(s);
    X25519Field.mul(x0n, x1d, t);
    X25519Field.add(s, t, s);
    X25519Field.carry(s);
    X25519Field.mul(x1n, x0d, t);
    X25519Field.add(s, t, s);
    X25519Field.carry(s);
    X25519Field.mul(s, d2, s);
    X25519Field.sub(xx, s, xx);
    X25519Field.carry(xx);
    int[] zz = fe();
    X25519Field.mul(d2, dens, zz);
    timesEight(xx, zz);
    if (isZero(zz)) {
      return null;
    }
    return new int[][] {xx, zz};
  }

  /** {@code (X : Z) ← 8·(X : Z)} in place: three x-only doublings. */
  private static void timesEight(int[] xx, int[] zz) {
    // X' = (X² − Z²)², Z' = 4XZ(X² + J·XZ + Z²)
    int[] a = fe();
    int[] b = fe();
    int[] c = fe();
    int[] x2 = fe();
    int[] z2 = fe();
    int[] xz = fe();
    for (int i = 0; i < 3; i++) {
      X25519Field.sqr(xx, x2);
      X25519Field.sqr(zz, z2);
      X25519Field.mul(xx, zz, xz);
      X25519Field.sub(x2, z2, a);
      X25519Field.carry(a);
      X25519Field.sqr(a, a);
      X25519Field.mul(xz, J, b);
      X25519Field.carry(b);
      X25519Field.add(b, x2, b);
      X25519Field.carry(b);
      X25519Field.add(b, z2, b);
      X25519Field.carry(b);
      X25519Field.mul(xz, 4, c);
      X25519Field.carry(c);
      X25519Field.mul(c, b, zz);
      X25519Field.copy(a, 0, xx, 0);
    }
  }

  /** {@code x^((p − 5)/8) = x^(2^252 − 3)}, the usual addition chain. */
  private static int[] powPm5d8(int[] z) {
    int[] t0 = sqr(z); // 2
    int[] t1 = fe();
    X25519Field.sqr(t0, 2, t1); // 8
    X25519Field.mul(z, t1, t1); // 9
    X25519Field.mul(t0, t1, t0); // 11
    X25519Field.sqr(t0, t0); // 22
    X25519Field.mul(t1, t0, t0); // 2^5 − 1
    X25519Field.sqr(t0, 5, t1);
    X25519Field.mul(t1, t0, t0); // 2^10 − 1
    X25519Field.sqr(t0, 10, t1);
    X25519Field.mul(t1, t0, t1); // 2^20 − 1
    int[] t2 = fe();
    X25519Field.sqr(t1, 20, t2);
    X25519Field.mul(t2, t1, t1); // 2^40 − 1
    X25519Field.sqr(t1, 10, t1);
    X25519Field.mul(t1, t0, t0); // 2^50 − 1
    X25519Field.sqr(t0, 50, t1);
    X25519Field.mul(t1, t0, t1); // 2^100 − 1
    X25519Field.sqr(t1, 100, t2);
    X25519Field.mul(t2, t1, t1); // 2^200 − 1
    X25519Field.sqr(t1, 50, t1);
    X25519Field.mul(t1, t0, t0); // 2^250 − 1
    X25519Field.sqr(t0, 2, t0); // 2^252 − 4
    X25519Field.mul(t0, z, t0); // 2^252 − 3
    return t0;
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
    timesEight(xx, zz);
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
}
