package io.federa.crypto.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federa's native multi-buffer Montgomery products ({@code src/main/c/he_ifma.c}, built with the
 * jar when gcc is there): eight products at once in 52-bit limbs with AVX-512 IFMA, on the same
 * numbers and the same radix {@code R = 2^(32·len)} as {@link Montgomery}, so a value is in
 * Montgomery form for both. Used only when the processor has IFMA, the library loads, and its
 * results agree with the JDK's arithmetic on random values of several sizes (checked once per
 * process); {@code -Dfedera.he.native=false} turns it off. No secret enters it: it multiplies
 * ciphertexts and public table entries, and which value goes where depends only on public lengths.
 */
final class NativeMontgomery {
  private static final Logger LOG = LoggerFactory.getLogger(NativeMontgomery.class);
  private static final String RESOURCE = "/native/linux-x86-64/libfedera_he.so";
  private static final boolean AVAILABLE = load();
  private static volatile boolean enabled = true;

  private NativeMontgomery() {}

  /** Whether the native products are in use in this process. */
  static boolean available() {
    return AVAILABLE && enabled;
  }

  /** Whether the library loaded and passed its self-test (whatever {@link #enable} says). */
  static boolean loaded() {
    return AVAILABLE;
  }

  /** Turns the native path off (or back on) for this process: the benchmark's Java column. */
  static void enable(boolean on) {
    enabled = on;
  }

  /**
   * {@code out[k·len ..]} = the Montgomery product of chain {@code k}'s {@code lengths[k]} values,
   * taken in order from {@code values} ({@code len} ints each, chain after chain).
   */
  static void chainProducts(int[] mod, int[] lengths, int[] values, int[] out) {
    chainProducts(mod, lengths, null, values, out);
  }

  /**
   * As {@link #chainProducts(int[], int[], int[], int[])}, the j-th value of the chains together
   * being value {@code index[j]} of {@code values} (a value may serve several chains).
   */
  static void chainProducts(int[] mod, int[] lengths, int[] index, int[] values, int[] out) {
    if (Lib.federa_he_chain_products(mod.length, mod, lengths.length, lengths, index, values, out)
        != 1) {
      throw new IllegalStateException("the native Montgomery products refused the modulus");
    }
  }

  /**
   * {@code out[k·len ..] = bases[k]^exps[k]} in Montgomery form: {@code count} bases ({@code len}
   * ints each, Montgomery form), exponents of {@code ewords} big-endian ints each, {@code one} the
   * Montgomery form of 1. Constant time in the exponents' values (fixed windows, masked table
   * scans): only {@code ewords} shows.
   */
  static void powers(
      int[] mod, int[] one, int count, int[] bases, int ewords, int[] exps, int[] out) {
    if (Lib.federa_he_powers(mod.length, mod, one, count, bases, ewords, exps, out) != 1) {
      throw new IllegalStateException("the native exponentiation refused the modulus");
    }
  }

  private static boolean load() {
    if ("false".equals(System.getProperty("federa.he.native", ""))) {
      return false;
    }
    try {
      if (Lib.federa_he_available() != 1) {
        LOG.debug("no AVX-512 IFMA here: Paillier and OU use the JDK's Montgomery arithmetic");
        return false;
      }
      if (!selfTest()) {
        LOG.warn(
            "the native Montgomery products disagree with the JDK's arithmetic; not used (report"
                + " the processor model)");
        return false;
      }
      return true;
    } catch (LinkageError | RuntimeException e) {
      LOG.debug("the native Montgomery products did not load: {}", e.getMessage());
      return false;
    }
  }

  /**
   * Random products (chains of two), a long chain and powers (zero and random exponents) at
   * 1024..8192-bit moduli against {@link Montgomery}'s Java path.
   */
  private static boolean selfTest() {
    SecureRandom random = new SecureRandom();
    for (int bits : new int[] {1024, 2048, 4096, 8192, 1664}) {
      BigInteger m = new BigInteger(bits, random).setBit(bits - 1).setBit(0);
      Montgomery portable = new Montgomery(m, false);
      int len = portable.length();
      int count = 11;
      int[] values = new int[2 * count * len];
      for (int k = 0; k < 2 * count; k++) {
        BigInteger v = new BigInteger(32 * len, random);
        System.arraycopy(Montgomery.toInts(v, len), 0, values, k * len, len);
      }
      int[] pairs = new int[count];
      java.util.Arrays.fill(pairs, 2);
      int[] out = new int[count * len];
      int[] mod = Montgomery.toInts(m, len);
      chainProducts(mod, pairs, values, out);
      int[] product = new int[len];
      chainProducts(mod, new int[] {2 * count}, values, product);
      BigInteger r = BigInteger.ONE.shiftLeft(32 * len);
      int[] expected = slice(values, 0, len);
      for (int k = 0; k < count; k++) {
        int[] x = slice(values, 2 * k, len);
        int[] y = slice(values, 2 * k + 1, len);
        int[] got = slice(out, k, len);
        if (Montgomery.fromInts(got).compareTo(r) >= 0
            || !portable.toBig(got).equals(portable.toBig(portable.mul(x, y)))) {
          return false;
        }
        expected = k == 0 ? portable.mul(x, y) : portable.mul(portable.mul(expected, x), y);
      }
      if (!portable.toBig(product).equals(portable.toBig(expected))) {
        return false;
      }
      int[] exps = new int[count * 3];
      int[] powers = new int[count * len];
      powers(mod, portable.one(), count, values, 3, exps, powers); // exponents 0
      for (int k = 0; k < count; k++) {
        BigInteger e = new BigInteger(96 - 7 * k, random);
        System.arraycopy(Montgomery.toInts(e, 3), 0, exps, 3 * k, 3);
      }
      for (int k = 0; k < count; k++) {
        if (!portable.toBig(slice(powers, k, len)).equals(BigInteger.ONE)) {
          return false;
        }
      }
      powers(mod, portable.one(), count, values, 3, exps, powers);
      for (int k = 0; k < count; k++) {
        BigInteger e = Montgomery.fromInts(slice(exps, k, 3));
        int[] expectedPower = portable.pow(slice(values, k, len), e);
        if (!portable.toBig(slice(powers, k, len)).equals(portable.toBig(expectedPower))) {
          return false;
        }
      }
    }
    return true;
  }

  private static int[] slice(int[] flat, int k, int len) {
    int[] out = new int[len];
    System.arraycopy(flat, k * len, out, 0, len);
    return out;
  }

  /** The library, copied from the jar to a private temporary file and bound once. */
  private static final class Lib {
    static {
      NativeLibraries.register(Lib.class, RESOURCE);
    }

    private Lib() {}

    static native int federa_he_available();

    static native int federa_he_chain_products(
        int words, int[] mod, int chains, int[] lengths, int[] index, int[] values, int[] out);

    static native int federa_he_powers(
        int words, int[] mod, int[] one, int count, int[] bases, int ewords, int[] exps, int[] out);
  }
}
