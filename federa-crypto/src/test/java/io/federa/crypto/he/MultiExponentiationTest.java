package io.federa.crypto.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Π base_i^e_i against BigInteger, by the windowed and the grouped (few distinct values) paths. */
class MultiExponentiationTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 80, 3000})
  void productMatchesBigInteger_forAnyNumberOfDistinctExponents(int distinct) {
    Random random = new Random(distinct);
    BigInteger modulus = BigInteger.probablePrime(512, random).multiply(BigInteger.valueOf(3));
    Montgomery m = new Montgomery(modulus);
    int n = 4000;
    int[][] bases = new int[n][];
    BigInteger[] plain = new BigInteger[n];
    long[] values = new long[distinct];
    for (int v = 0; v < distinct; v++) {
      values[v] = random.nextInt(1 << 16);
    }
    long[] exponents = new long[n];
    BigInteger expected = BigInteger.ONE;
    for (int i = 0; i < n; i++) {
      plain[i] = new BigInteger(500, random).mod(modulus);
      bases[i] = m.toMontgomery(plain[i]);
      exponents[i] = i % 17 == 0 ? 0 : values[random.nextInt(distinct)];
      expected =
          expected
              .multiply(plain[i].modPow(BigInteger.valueOf(exponents[i]), modulus))
              .mod(modulus);
    }
    assertEquals(expected, m.toBig(MultiExponentiation.product(m, bases, exponents, 0, n)));
    // the grouped path is taken exactly when it is the cheaper one
    int[] sparse =
        MultiExponentiation.sparseProduct(
            m, bases, exponents, 0, n, 16, MultiExponentiation.bestWindow(n, 16));
    if (distinct <= 80) {
      assertNotNull(sparse);
      assertEquals(expected, m.toBig(sparse));
    } else {
      assertNull(sparse);
    }
  }
}
