package io.federa.crypto.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigInteger;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Montgomery arithmetic modulo an odd modulus, on numbers held as big-endian {@code int[]} of a
 * fixed even length (the layout of {@link BigInteger}'s magnitude). {@code mul(a, b) = a·b·R⁻¹ mod
 * m} with {@code R = 2^(32·len)}; a value {@code x} is kept as {@code x·R mod m} so that a chain of
 * multiplications costs one Montgomery step each instead of a multiplication and a division.
 *
 * <p><b>Why this class reaches into the JDK.</b> HotSpot replaces {@code
 * BigInteger.implMontgomeryMultiply/Square} with hand-written assembly (the intrinsic that makes
 * {@code BigInteger.modPow} fast): at 4096 bits one step takes ~3.5 µs, against ~23 µs for {@code
 * a.multiply(b).mod(m)} and ~10 µs for the best portable Java. The methods are private, so this
 * class calls them through a {@link MethodHandle}, which needs the JVM flag {@code --add-opens
 * java.base/java.math=ALL-UNNAMED} (set by {@code bin/federa}, the jar's manifest and the test
 * configuration). Without it, a portable Java CIOS implementation (Koç, Acar and Kaliski,
 * "Analyzing and comparing Montgomery multiplication algorithms", IEEE Micro 1996) gives the same
 * results, slower, and a warning says so. Results lie in {@code [0, R)}, not always below {@code
 * m}; {@link #toBig} reduces them fully.
 */
public final class Montgomery {
  private static final Logger LOG = LoggerFactory.getLogger(Montgomery.class);
  private static final long MASK = 0xffffffffL;
  private static final int INTRINSIC_MAX_INTS = 512; // BigInteger.MONTGOMERY_INTRINSIC_THRESHOLD
  private static final MethodHandle MUL;
  private static final MethodHandle SQR;

  static {
    MethodHandle mul = null;
    MethodHandle sqr = null;
    try {
      var lookup = MethodHandles.privateLookupIn(BigInteger.class, MethodHandles.lookup());
      mul =
          lookup.findStatic(
              BigInteger.class,
              "implMontgomeryMultiply",
              MethodType.methodType(
                  int[].class,
                  int[].class,
                  int[].class,
                  int[].class,
                  int.class,
                  long.class,
                  int[].class));
      sqr =
          lookup.findStatic(
              BigInteger.class,
              "implMontgomerySquare",
              MethodType.methodType(
                  int[].class, int[].class, int[].class, int.class, long.class, int[].class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Paillier runs several times slower: the JDK's Montgomery intrinsic is not reachable ({})."
              + " Start Java with --add-opens java.base/java.math=ALL-UNNAMED",
          e.toString());
      mul = null;
      sqr = null;
    }
    MUL = mul;
    SQR = sqr;
  }

  private final BigInteger modulus;
  private final int len;
  private final int[] mod;
  private final long inv;
  private final boolean intrinsic;
  private final int[] one;
  private final int[] rSquared;

  /** Montgomery arithmetic modulo {@code modulus} (odd, > 1). */
  public Montgomery(BigInteger modulus) {
    this(modulus, true);
  }

  /** For tests: {@code useIntrinsic = false} forces the portable implementation. */
  public Montgomery(BigInteger modulus, boolean useIntrinsic) {
    if (modulus.signum() <= 0 || !modulus.testBit(0) || modulus.equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("Montgomery arithmetic needs an odd modulus > 1");
    }
    this.modulus = modulus;
    int ints = (modulus.bitLength() + 31) / 32;
    this.len = ints + (ints & 1); // the intrinsic needs an even length
    this.mod = toInts(modulus, len);
    long n0 = (mod[len - 1] & MASK) | ((mod[len - 2] & MASK) << 32);
    this.inv = -inverseMod64(n0);
    this.intrinsic = useIntrinsic && MUL != null && len <= INTRINSIC_MAX_INTS;
    BigInteger r = BigInteger.ONE.shiftLeft(32 * len);
    this.one = toInts(r.mod(modulus), len);
    this.rSquared = toInts(r.multiply(r).mod(modulus), len);
  }

  /** True when the JDK intrinsic is in use (the fast path). */
  public static boolean intrinsicAvailable() {
    return MUL != null;
  }

  public BigInteger modulus() {
    return modulus;
  }

  /** Length of every operand, in ints. */
  public int length() {
    return len;
  }

  /**
   * {@code a} reduced into {@code [0, m)} (a new array): products may leave a value of the same
   * residue up to {@code R}, which is fine for arithmetic but not for a canonical wire form.
   */
  public int[] canonical(int[] a) {
    int[] out = a.clone();
    for (int round = 0; compare(out, mod) >= 0; round++) {
      if (round == 2) {
        // far above m (R may exceed m by up to 2^32 when m's words are rounded up to even)
        return toInts(fromInts(out).mod(modulus), len);
      }
      long borrow = 0;
      for (int i = len - 1; i >= 0; i--) {
        long d = (out[i] & MASK) - (mod[i] & MASK) - borrow;
        out[i] = (int) d;
        borrow = d < 0 ? 1 : 0;
      }
    }
    return out;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Integer.compareUnsigned(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Whether {@code a} (big-endian ints of this length) is in {@code [1, m)}. */
  public boolean inRange(int[] a) {
    if (a.length != len) {
      return false;
    }
    boolean zero = true;
    for (int v : a) {
      if (v != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      int c = Integer.compareUnsigned(a[i], mod[i]);
      if (c != 0) {
        return c < 0;
      }
    }
    return false; // equal to m
  }

  /** {@code R mod m}: the Montgomery form of 1. */
  public int[] one() {
    return one.clone();
  }

  /**
   * {@code R² mod m}: in a chain of {@link #chainProducts}, it turns one plain (not
   * Montgomery-form) factor's product into Montgomery form.
   */
  public int[] rSquared() {
    return rSquared.clone();
  }

  /** Montgomery form of {@code x} (any non-negative integer). */
  public int[] toMontgomery(BigInteger x) {
    int[] plain = toInts(x.signum() < 0 || x.compareTo(modulus) >= 0 ? x.mod(modulus) : x, len);
    return mul(plain, rSquared);
  }

  /** The integer {@code a·R⁻¹ mod m} in {@code [0, m)} of a Montgomery-form value. */
  public BigInteger toBig(int[] a) {
    int[] plainOne = new int[len];
    plainOne[len - 1] = 1;
    BigInteger v = fromInts(mul(a, plainOne));
    return v.compareTo(modulus) >= 0 ? v.mod(modulus) : v;
  }

  /** {@code a·b·R⁻¹ mod m}, a new array. */
  public int[] mul(int[] a, int[] b) {
    return mulInto(a, b, new int[len]);
  }

  /** {@code a·b·R⁻¹ mod m} written into {@code out} (which may be {@code a} or {@code b}). */
  public int[] mulInto(int[] a, int[] b, int[] out) {
    if (intrinsic) {
      int[] r;
      try {
        r = (int[]) MUL.invokeExact(a, b, mod, len, inv, out);
      } catch (Throwable t) {
        throw new IllegalStateException("Montgomery intrinsic failed", t);
      }
      if (r != out) { // the JDK's Java fallback (before the JIT has compiled it) returns its own
        // array
        System.arraycopy(r, 0, out, 0, len);
      }
      return out;
    }
    PortableMontgomery.mul(a, b, out, mod, inv);
    return out;
  }

  /** {@code a²·R⁻¹ mod m} written into {@code out} (which may be {@code a}). */
  public int[] squareInto(int[] a, int[] out) {
    if (intrinsic) {
      int[] r;
      try {
        r = (int[]) SQR.invokeExact(a, mod, len, inv, out);
      } catch (Throwable t) {
        throw new IllegalStateException("Montgomery intrinsic failed", t);
      }
      if (r != out) {
        System.arraycopy(r, 0, out, 0, len);
      }
      return out;
    }
    PortableMontgomery.mul(a, a, out, mod, inv);
    return out;
  }

  /** Whether the batch operations run Federa's native IFMA kernel ({@link NativeMontgomery}). */
  public static boolean nativeProducts() {
    return NativeMontgomery.available();
  }

  /**
   * Turns the native kernel off ({@code false}) or back on for this process, where it loaded: the
   * benchmark's Java column and the tests that compare both paths in one run.
   */
  public static void enableNative(boolean on) {
    NativeMontgomery.enable(on);
  }

  /**
   * The Montgomery products of consecutive chains of {@code values}: chain {@code k} is the next
   * {@code lengths[k]} ≥ 1 values (one value is its own product). A homomorphic sum per chain — a
   * histogram's bins — in one call: on Federa's native kernel eight chains at once when the
   * processor has AVX-512 IFMA ({@link NativeMontgomery}), else one multiplication at a time here.
   * The results are the same residues either way (their representatives in {@code [0, R)} may
   * differ by a multiple of {@code m}; {@link #canonical} makes them equal).
   */
  public int[][] chainProducts(int[][] values, int[] lengths) {
    return MultiBuffer.chainProducts(this, values, null, lengths);
  }

  /**
   * As {@link #chainProducts}, the chains' values taken in the order of {@code index} (positions in
   * {@code values}; a value may appear in several chains): a dot product's buckets.
   */
  public int[][] gatherProducts(int[][] values, int[] index, int[] lengths) {
    return MultiBuffer.chainProducts(this, values, index, lengths);
  }

  /**
   * {@code bases[k]^exponents[k]} in Montgomery form for every {@code k}: on the native kernel
   * eight at a time, in constant time in the exponents' values (only the longest exponent's length
   * in 32-bit words shows), when there are enough of them; else {@link #pow} one at a time.
   */
  public int[][] powers(int[][] bases, BigInteger[] exponents) {
    return MultiBuffer.powers(this, bases, exponents);
  }

  int[] mod() {
    return mod;
  }

  /**
   * {@code base^e} in Montgomery form for a non-negative exponent (left-to-right, 4-bit windows).
   */
  public int[] pow(int[] base, BigInteger e) {
    if (e.signum() < 0) {
      throw new IllegalArgumentException("negative exponent");
    }
    int bits = e.bitLength();
    if (bits == 0) {
      return one();
    }
    int w = bits <= 24 ? 1 : bits <= 96 ? 3 : 4;
    int[][] table = new int[1 << (w - 1)][]; // base^1, base^3, … base^(2^w − 1)
    table[0] = base.clone();
    int[] base2 = mul(base, base);
    for (int i = 1; i < table.length; i++) {
      table[i] = mul(table[i - 1], base2);
    }
    int[] acc = null;
    int i = bits - 1;
    while (i >= 0) {
      if (!e.testBit(i)) {
        if (acc != null) {
          squareInto(acc, acc);
        }
        i--;
        continue;
      }
      int low = Math.max(0, i - w + 1);
      while (!e.testBit(low)) {
        low++;
      }
      int window = 0;
      for (int k = i; k >= low; k--) {
        window = (window << 1) | (e.testBit(k) ? 1 : 0);
        if (acc != null) {
          squareInto(acc, acc);
        }
      }
      acc = acc == null ? table[window >>> 1].clone() : mulInto(acc, table[window >>> 1], acc);
      i = low - 1;
    }
    return acc;
  }

  /** Big-endian ints of {@code x} (non-negative, fitting), left-padded to {@code len}. */
  public static int[] toInts(BigInteger x, int len) {
    byte[] bytes = x.toByteArray();
    int[] out = new int[len];
    int b = bytes.length - 1;
    for (int i = len - 1; i >= 0 && b >= 0; i--) {
      int v = 0;
      for (int shift = 0; shift < 32 && b >= 0; shift += 8, b--) {
        v |= (bytes[b] & 0xff) << shift;
      }
      out[i] = v;
    }
    for (; b >= 0; b--) {
      if (bytes[b] != 0) {
        throw new IllegalArgumentException("value does not fit in " + len + " ints");
      }
    }
    return out;
  }

  /** The non-negative integer of big-endian ints. */
  public static BigInteger fromInts(int[] a) {
    byte[] bytes = new byte[a.length * 4 + 1];
    for (int i = 0; i < a.length; i++) {
      int v = a[i];
      bytes[1 + 4 * i] = (byte) (v >>> 24);
      bytes[2 + 4 * i] = (byte) (v >>> 16);
      bytes[3 + 4 * i] = (byte) (v >>> 8);
      bytes[4 + 4 * i] = (byte) v;
    }
    return new BigInteger(bytes);
  }

  /** {@code x⁻¹ mod 2^64} for odd {@code x}, by Newton iteration (each step doubles the bits). */
  static long inverseMod64(long x) {
    long t = x;
    for (int i = 0; i < 5; i++) {
      t *= 2 - x * t;
    }
    return t;
  }

  @Override
  public String toString() {
    return "Montgomery["
        + modulus.bitLength()
        + " bits, "
        + (intrinsic ? "intrinsic" : "portable")
        + "]";
  }

  /** Equal modulo {@code m} (operands may be unreduced). */
  public boolean sameResidue(int[] a, int[] b) {
    return Arrays.equals(a, b) || toBig(a).equals(toBig(b));
  }
}
