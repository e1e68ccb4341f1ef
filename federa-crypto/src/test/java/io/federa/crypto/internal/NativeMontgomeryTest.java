package io.federa.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void chainProducts_refuseEmptyChainsAndMiscountedValues() {
    Montgomery mont = new Montgomery(BigInteger.valueOf(1_000_003));
    int[][] values = {mont.one(), mont.one()};
    assertThrows(
        IllegalArgumentException.class, () -> mont.chainProducts(values, new int[] {2, 0}));
    assertThrows(IllegalArgumentException.class, () -> mont.chainProducts(values, new int[] {3}));
  }
}
