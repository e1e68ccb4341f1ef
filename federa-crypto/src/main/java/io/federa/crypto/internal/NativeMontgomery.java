package io.federa.crypto.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
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
   * The Montgomery product of each chain: chain {@code k} is the next {@code lengths[k]} values,
   * the j-th value of all chains together being {@code values[index[j]]} ({@code values[j]} when
   * {@code index} is null). The values cross into native memory once, one copy each.
   */
  static int[][] chainProducts(int[] mod, int[] lengths, int[] index, int[][] values) {
    int len = mod.length;
    try (Memory in = toNative(values, len);
        Memory out = new Memory(4L * len * lengths.length)) {
      if (Lib.federa_he_chain_products(len, mod, lengths.length, lengths, index, in, out) != 1) {
        throw new IllegalStateException("the native Montgomery products refused the modulus");
      }
      return fromNative(out, lengths.length, len);
    }
  }

  /**
   * {@code bases[k]^exponents[k]} in Montgomery form ({@code one} the form of 1), the exponents
   * below {@code 2^ebits}. Constant time in the exponents' values (fixed windows, masked table
   * scans): only {@code ebits} shows.
   */
  static int[][] powers(int[] mod, int[] one, int[][] bases, BigInteger[] exponents, int ebits) {
    int len = mod.length;
    int count = bases.length;
    int ewords = (ebits + 31) / 32;
    int[] exps = new int[count * ewords];
    for (int k = 0; k < count; k++) {
      System.arraycopy(Montgomery.toInts(exponents[k], ewords), 0, exps, k * ewords, ewords);
    }
    try (Memory in = toNative(bases, len);
        Memory out = new Memory(4L * len * count)) {
      if (Lib.federa_he_powers(len, mod, one, count, in, ewords, ebits, exps, out) != 1) {
        throw new IllegalStateException("the native exponentiation refused the modulus");
      }
      return fromNative(out, count, len);
    }
  }

  private static Memory toNative(int[][] values, int len) {
    Memory m = new Memory(4L * len * Math.max(1, values.length));
    for (int k = 0; k < values.length; k++) {
      m.write(4L * len * k, values[k], 0, len);
    }
    return m;
  }

  private static int[][] fromNative(Memory m, int count, int len) {
    int[][] out = new int[count][len];
    for (int k = 0; k < count; k++) {
      m.read(4L * len * k, out[k], 0, len);
    }
    return out;
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
      int[][] values = new int[2 * count][];
      for (int k = 0; k < 2 * count; k++) {
        values[k] = Montgomery.toInts(new BigInteger(32 * len, random), len);
      }
      int[] pairs = new int[count];
      java.util.Arrays.fill(pairs, 2);
      int[] mod = Montgomery.toInts(m, len);
      int[][] out = chainProducts(mod, pairs, null, values);
      int[] product = chainProducts(mod, new int[] {2 * count}, null, values)[0];
      BigInteger r = BigInteger.ONE.shiftLeft(32 * len);
      int[] expected = null;
      for (int k = 0; k < count; k++) {
        int[] xy = portable.mul(values[2 * k], values[2 * k + 1]);
        if (Montgomery.fromInts(out[k]).compareTo(r) >= 0
            || !portable.toBig(out[k]).equals(portable.toBig(xy))) {
          return false;
        }
        expected =
            k == 0 ? xy : portable.mul(portable.mul(expected, values[2 * k]), values[2 * k + 1]);
      }
      if (!portable.toBig(product).equals(portable.toBig(expected))) {
        return false;
      }
      int[][] bases = java.util.Arrays.copyOf(values, count);
      BigInteger[] exponents = new BigInteger[count];
      java.util.Arrays.fill(exponents, BigInteger.ZERO);
      for (int[] power : powers(mod, portable.one(), bases, exponents, 96)) {
        if (!portable.toBig(power).equals(BigInteger.ONE)) {
          return false;
        }
      }
      for (int k = 0; k < count; k++) {
        exponents[k] = new BigInteger(96 - 7 * k, random);
      }
      int[][] powers = powers(mod, portable.one(), bases, exponents, 96);
      for (int k = 0; k < count; k++) {
        int[] expectedPower = portable.pow(bases[k], exponents[k]);
        if (!portable.toBig(powers[k]).equals(portable.toBig(expectedPower))) {
          return false;
        }
      }
    }
    return true;
  }

  /** The library, copied from the jar to a private temporary file and bound once. */
  private static final class Lib {
    static {
      NativeLibraries.register(Lib.class, RESOURCE);
    }

    private Lib() {}

    static native int federa_he_available();

    static native int federa_he_chain_products(
        int words, int[] mod, int chains, int[] lengths, int[] index, Pointer values, Pointer out);

    static native int federa_he_powers(
        int words,
        int[] mod,
        int[] one,
        int count,
        Pointer bases,
        int ewords,
        int ebits,
        int[] exps,
        Pointer out);
  }
}
