package io.federa.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MontgomeryTest {
  @Test
  void theJdkIntrinsicIsReachableInTests() {
    // surefire passes --add-opens java.base/java.math=ALL-UNNAMED; without it Paillier is slow
    assertTrue(Montgomery.intrinsicAvailable());
  }

  @ParameterizedTest(name = "{0}-bit modulus")
  @ValueSource(ints = {61, 127, 512, 1000, 2048, 4096, 6144})
  void mulAndSquare_matchBigIntegerOnBothPaths(int bits) {
    Random rnd = new Random(bits);
    BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
    var fast = new Montgomery(m, true);
    var portable = new Montgomery(m, false);
    for (int i = 0; i < 200; i++) {
      BigInteger a = new BigInteger(bits + 10, rnd).mod(m);
      BigInteger b = new BigInteger(bits + 10, rnd).mod(m);
      BigInteger expected = a.multiply(b).mod(m);
      assertEquals(expected, fast.toBig(fast.mul(fast.toMontgomery(a), fast.toMontgomery(b))));
      assertEquals(
          expected,
          portable.toBig(portable.mul(portable.toMontgomery(a), portable.toMontgomery(b))));
      int[] sq = fast.toMontgomery(a);
      fast.squareInto(sq, sq);
      assertEquals(a.multiply(a).mod(m), fast.toBig(sq));
    }
  }

  @ParameterizedTest(name = "{0}-bit modulus")
  @ValueSource(ints = {512, 4096})
  void pow_matchesModPow(int bits) {
    Random rnd = new Random(7);
    BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
    var mont = new Montgomery(m);
    for (int e : new int[] {0, 1, 2, 3, 20, 61, 200, 1500}) {
      BigInteger base = new BigInteger(bits, rnd).mod(m);
      BigInteger exponent = new BigInteger(e, rnd).setBit(Math.max(0, e - 1));
      if (e == 0) {
        exponent = BigInteger.ZERO;
      }
      assertEquals(
          base.modPow(exponent, m),
          mont.toBig(mont.pow(mont.toMontgomery(base), exponent)),
          "e=" + e);
    }
  }

  @Test
  void toIntsAndBack_roundTrip() {
    Random rnd = new Random(3);
    for (int i = 0; i < 100; i++) {
      BigInteger x = new BigInteger(rnd.nextInt(500) + 1, rnd);
      assertEquals(x, Montgomery.fromInts(Montgomery.toInts(x, 16)));
    }
  }

  @org.junit.jupiter.api.Test
  void canonical_reducesAnyValueBelowRIntoZeroToM() {
    java.util.Random random = new java.util.Random(5);
    // 500 bits: 16 words, R/m up to 2^12; 1030 bits: 33 words rounded to 34, R/m up to 2^38
    for (int bits : new int[] {500, 1030}) {
      java.math.BigInteger modulus =
          java.math.BigInteger.probablePrime(bits, random)
              .multiply(java.math.BigInteger.valueOf(3));
      Montgomery m = new Montgomery(modulus);
      java.math.BigInteger r = java.math.BigInteger.ONE.shiftLeft(32 * m.length());
      for (int t = 0; t < 200; t++) {
        java.math.BigInteger x = new java.math.BigInteger(32 * m.length(), random).mod(r);
        int[] c = m.canonical(Montgomery.toInts(x, m.length()));
        org.junit.jupiter.api.Assertions.assertEquals(x.mod(modulus), Montgomery.fromInts(c));
        org.junit.jupiter.api.Assertions.assertTrue(
            Montgomery.fromInts(c).signum() == 0 || m.inRange(c));
      }
    }
  }
}
