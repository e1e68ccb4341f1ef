package io.federa.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chain products on the native IFMA kernel (where it runs) against one multiplication at a time in
 * Java, seeded, at the moduli Paillier and OU use: {@code n} of OU and {@code p²} (2048 bits),
 * {@code n²} of 2048-, 3072- and 4096-bit Paillier keys, and sizes whose radix is not a whole
 * number of 52-bit limbs. The results are the same residues, below {@code R}. Surefire runs the HE
 * tests a second time with {@code -Dfedera.he.native=false}: the Java path passes them alone.
 */
class NativeMontgomeryTest {
  @Test
  void theNativeKernelRunsWhereTheProcessorHasIfma() throws Exception {
    boolean ifma =
        Files.exists(Path.of("/proc/cpuinfo"))
            && Files.readString(Path.of("/proc/cpuinfo")).contains("avx512ifma");
    boolean built =
        NativeMontgomery.class.getResource("/native/linux-x86-64/libfedera_he.so") != null;
    boolean refused = "false".equals(System.getProperty("federa.he.native", ""));
    assertEquals(ifma && built && !refused, Montgomery.nativeProducts());
  }

  @ParameterizedTest(name = "{0}-bit modulus")
  @ValueSource(ints = {1024, 1664, 2048, 3072, 4096, 6144, 8192})
  void chainProducts_areTheJavaProducts(int bits) {
    Random rnd = new Random(bits);
    BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
    Montgomery mont = new Montgomery(m);
    int len = mont.length();
    BigInteger r = BigInteger.ONE.shiftLeft(32 * len);
    int[] sizes = new int[19];
    for (int k = 0; k < 17; k++) {
      sizes[k] = k + 1;
    }
    sizes[17] = 1000;
    sizes[18] = 64;
    for (int chains : sizes) {
      int[] lengths = new int[chains];
      int total = 0;
      for (int k = 0; k < chains; k++) {
        lengths[k] = 1 + rnd.nextInt(chains == 1 ? 200 : 12);
        total += lengths[k];
      }
      int[][] values = new int[total][];
      for (int k = 0; k < total; k++) {
        // Montgomery-form values may lie anywhere in [0, R), as products leave them
        values[k] = Montgomery.toInts(new BigInteger(32 * len, rnd), len);
      }
      int[][] products = mont.chainProducts(values, lengths);
      int at = 0;
      for (int k = 0; k < chains; k++) {
        int[] expected = values[at].clone();
        for (int j = 1; j < lengths[k]; j++) {
          mont.mulInto(expected, values[at + j], expected);
        }
        at += lengths[k];
        assertTrue(Montgomery.fromInts(products[k]).compareTo(r) < 0, "below R");
        assertArrayEquals(
            mont.canonical(expected),
            mont.canonical(products[k]),
            bits + " bits, " + chains + " chains, chain " + k);
      }
    }
  }

  /**
   * The kernel's exponentiation, called directly for every batch size 1..17 and 1,000 (the batch
   * API takes the Java path below four), against {@link Montgomery#pow}: exponents of 1..1,100 bits
   * with zeros, ones, all-ones and the top bit, at each modulus the keys use.
   */
  @ParameterizedTest(name = "{0}-bit modulus")
  @ValueSource(ints = {1024, 1664, 2048, 3072, 4096, 6144, 8192})
  void powers_areTheJavaPowers(int bits) {
    assumeTrue(NativeMontgomery.available(), "no native kernel here: Montgomery.pow alone");
    Random rnd = new Random(31L * bits);
    BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
    Montgomery mont = new Montgomery(m);
    int[] mod = Montgomery.toInts(m, mont.length());
    for (int count = 1; count <= 18; count++) {
      int size = count == 18 ? (bits <= 4096 ? 1000 : 40) : count;
      int ebits = new int[] {1, 3, 33, 64, 161, 1100}[count % 6];
      int[][] bases = new int[size][];
      BigInteger[] exponents = new BigInteger[size];
      for (int k = 0; k < size; k++) {
        bases[k] = mont.toMontgomery(new BigInteger(bits + 8, rnd));
        exponents[k] =
            switch (k % 5) {
              case 0 -> BigInteger.ZERO;
              case 1 -> BigInteger.ONE;
              case 2 -> BigInteger.ONE.shiftLeft(ebits).subtract(BigInteger.ONE);
              case 3 -> BigInteger.ONE.shiftLeft(ebits - 1);
              default -> new BigInteger(ebits, rnd);
            };
      }
      int[][] got = NativeMontgomery.powers(mod, mont.one(), bases, exponents, ebits);
      for (int k = 0; k < size; k++) {
        assertEquals(
            mont.toBig(mont.pow(bases[k], exponents[k])),
            mont.toBig(got[k]),
            "power " + k + " of " + size + " (" + ebits + "-bit exponents)");
        assertTrue(Montgomery.fromInts(got[k]).bitLength() <= 32 * mont.length());
      }
    }
  }

  /** Chains gathered by index (a dot product's buckets) equal the Java path's, a value reused. */
  @ParameterizedTest(name = "{0}-bit modulus")
  @ValueSource(ints = {2048, 4096})
  void gatherProducts_takeTheIndexedValues(int bits) {
    Random rnd = new Random(bits + 5);
    BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
    Montgomery mont = new Montgomery(m);
    int[][] values = new int[300][];
    for (int k = 0; k < values.length; k++) {
      values[k] = mont.toMontgomery(new BigInteger(bits, rnd));
    }
    int[] lengths = {1, 2, 3, 17, 100, 200, 77};
    int[] index = new int[400];
    for (int j = 0; j < index.length; j++) {
      index[j] = rnd.nextInt(values.length);
    }
    int[][] gathered = mont.gatherProducts(values, index, lengths);
    Montgomery.enableNative(false);
    try {
      int[][] java = mont.gatherProducts(values, index, lengths);
      for (int k = 0; k < lengths.length; k++) {
        assertArrayEquals(mont.canonical(java[k]), mont.canonical(gathered[k]), "chain " + k);
      }
    } finally {
      Montgomery.enableNative(true);
    }
  }

  @Test
  void chainProducts_refuseEmptyChainsAndMiscountedValues() {
    Montgomery mont = new Montgomery(BigInteger.valueOf(1_000_003));
    int[][] values = {mont.one(), mont.one()};
    assertThrows(
        IllegalArgumentException.class, () -> mont.chainProducts(values, new int[] {2, 0}));
    assertThrows(IllegalArgumentException.class, () -> mont.chainProducts(values, new int[] {3}));
  }
}
