package io.federa.crypto.ec;

import static io.federa.crypto.ec.Field25519.copy;
import static io.federa.crypto.ec.Field25519.fe;
import static io.federa.crypto.ec.Field25519.one;

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
 * {@code clear_cofactor} (× 8) — the last three in {@link Elligator2}. Field arithmetic is Bouncy
 * Castle's {@link X25519Field}. The square roots use a variable-time routine: the time taken
 * depends on the id being hashed, which a remote party cannot observe per id in a batch; it is not
 * meant for use where an attacker times single hashes on the same machine.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Curve25519HashToCurve {
  /** p = 2^255 − 19. */
  public static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /** The suite identifier, to build domain separation tags from. */
  public static final String SUITE = "curve25519_XMD:SHA-512_ELL2_RO_";

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
    int[][] q0 = Elligator2.mapToCurve(u[0]);
    int[][] q1 = Elligator2.mapToCurve(u[1]);
    int[] x = Elligator2.addX(q0, q1);
    int[] out = Elligator2.clearCofactorX(x);
    byte[] enc = new byte[32];
    X25519Field.normalize(out);
    X25519Field.encode(out, enc, 0);
    return enc;
  }

  /**
   * hash_to_curve for many messages: {@code 32·msgs.length} bytes, the same as {@link
   * #hashToU(byte[])} for each, at about half its cost: Elligator 2 in RFC 9380's inversion-free
   * form (appendix G.2.1, one exponentiation per map), the sum and the cofactor clearing in
   * projective coordinates, and one inversion for the whole batch (Montgomery's trick).
   */
  public byte[] hashToU(byte[][] msgs) {
    int n = msgs.length;
    byte[] out = new byte[32 * n];
    int[][] xs = new int[n][];
    int[][] zs = new int[n][];
    for (int i = 0; i < n; i++) {
      int[][] u = hashToField(msgs[i]);
      int[][] xz =
          Elligator2.sumTimesEight(Elligator2.mapProjective(u[0]), Elligator2.mapProjective(u[1]));
      if (xz == null) {
        // Q0 = ±Q1 or a small-order sum (probability ~2^-250): the affine reference path
        System.arraycopy(hashToU(msgs[i]), 0, out, 32 * i, 32);
      } else {
        xs[i] = xz[0];
        zs[i] = xz[1];
      }
    }
    // Montgomery's trick: prefix[i] = Π_{k<i} z_k, one inversion, then back to front
    int[][] prefix = new int[n][];
    int[] acc = one();
    for (int i = 0; i < n; i++) {
      if (zs[i] != null) {
        prefix[i] = copy(acc);
        X25519Field.mul(acc, zs[i], acc);
      }
    }
    int[] inv = fe();
    X25519Field.invVar(acc, inv);
    int[] zInv = fe();
    int[] u = fe();
    for (int i = n - 1; i >= 0; i--) {
      if (zs[i] == null) {
        continue;
      }
      X25519Field.mul(inv, prefix[i], zInv);
      X25519Field.mul(inv, zs[i], inv);
      X25519Field.mul(xs[i], zInv, u);
      X25519Field.normalize(u);
      X25519Field.encode(u, out, 32 * i);
    }
    return out;
  }

  // ---- RFC 9380 steps (package-private for the known-answer tests) ----

  int[][] hashToField(byte[] msg) {
    byte[] uniform = ExpandMessageXmd.sha512(msg, dst, 2 * L);
    return new int[][] {reduce48(uniform, 0), reduce48(uniform, L)};
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
}
