package io.federa.crypto.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PaillierTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  /** Known answer from tools/reference/paillier_kat.py (plain Python big integers). */
  @Test
  void decrypt_knownAnswerVector() {
    BigInteger p =
        new BigInteger("d5a6a2c6b1ea6e19ac0fe6bd0c7f0a1e4b6c1a5e6b3c9d8ef1b2a3c4d5e6f711", 16);
    BigInteger q =
        new BigInteger("f1c3a5b7d9e2f4a6c8b1d3e5f7a9c2b4d6e8f1a3c5b7d9e2f4a6c8b1d3e5f785", 16);
    BigInteger m = new BigInteger("1234567890abcdef1122334455667788", 16);
    BigInteger r = new BigInteger("fedcba9876543210fedcba987654321aabbccdd", 16);
    BigInteger c =
        new BigInteger(
            "4c71351c0d77ed30b7561aa107d5f26d5f27d882582d474ff991dbe5badf87afe1334ad6f9ebcf71656193"
                + "f27efd7dddd4e24f77e0f9b66f7650ad18f03cf1d745c0e060d11a727e5ba58f40e4fadaa57312ea93"
                + "f0bba96a34f7a81c1d7854b33542ba7bbcab70dc95f786ea3b972276cd770fb2f600cc794950e83099"
                + "8f27ec",
            16);
    BigInteger n = p.multiply(q);
    assertEquals(512, n.bitLength());
    var publicKey = PaillierPublicKey.standard(n, true);
    var privateKey = PaillierPrivateKey.fromPrimes(publicKey, p, q);
    BigInteger n2 = n.multiply(n);
    assertEquals(c, n.add(BigInteger.ONE).modPow(m, n2).multiply(r.modPow(n, n2)).mod(n2));
    assertEquals(m, privateKey.decryptElement(c));
  }

  @ParameterizedTest(name = "{0}-bit {1} key")
  @CsvSource({"1024, SUBGROUP", "2048, SUBGROUP", "1024, STANDARD", "2048, STANDARD"})
  void encryptDecrypt_roundTripsIntegersAndDoubles(int bits, HeParameters.Variant variant) {
    HeKeyPair keys = TestKeys.of(bits, variant);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    Random rnd = new Random(bits);
    for (int i = 0; i < 40; i++) {
      double x = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(12) - 4);
      Ciphertext c = keys.publicKey().encrypt(encoder.encode(x));
      assertEquals(x, keys.privateKey().decrypt(c), 1e-9 * Math.max(1, Math.abs(x)));
    }
    for (long v : new long[] {0, 1, -1, Integer.MAX_VALUE, -123456789L}) {
      Ciphertext c = keys.publicKey().encrypt(encoder.encodeInteger(v));
      assertEquals(v, keys.privateKey().decrypt(c));
    }
    BigInteger raw = keys.publicKey().modulus().subtract(BigInteger.TWO);
    assertEquals(raw, keys.privateKey().decryptRaw(keys.publicKey().encryptRaw(raw)));
  }

  @Test
  void encrypt_isRandomised() {
    HeKeyPair keys = TestKeys.of(1024);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    Ciphertext a = keys.publicKey().encrypt(encoder.encode(1.5));
    Ciphertext b = keys.publicKey().encrypt(encoder.encode(1.5));
    assertNotEquals(a.element(), b.element());
    assertNotEquals(a.element(), a.rerandomize().element());
    assertEquals(1.5, keys.privateKey().decrypt(a.rerandomize()), 1e-9);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void homomorphisms_holdOnRandomValues(long seed) {
    HeKeyPair keys =
        TestKeys.of(
            seed >= 7 ? 2048 : 1024,
            seed % 2 == 0 ? HeParameters.Variant.SUBGROUP : HeParameters.Variant.STANDARD);
    var pk = keys.publicKey();
    var sk = keys.privateKey();
    var encoder = FixedPointEncoder.defaults(pk);
    Random rnd = new Random(seed);
    double a = rnd.nextGaussian() * 1000;
    double b = rnd.nextGaussian() * 1000;
    double k = rnd.nextGaussian() * 10;
    Ciphertext ea = pk.encrypt(encoder.encode(a));
    Ciphertext eb = pk.encrypt(encoder.encode(b));
    double tol = 1e-6;
    assertEquals(a + b, sk.decrypt(ea.add(eb)), tol);
    assertEquals(a + b, sk.decrypt(ea.addPlain(encoder.encode(b))), tol);
    assertEquals(-a, sk.decrypt(ea.negate()), tol);
    assertEquals(a - b, sk.decrypt(ea.add(eb.negate())), tol);
    assertEquals(
        a * k, sk.decrypt(ea.multiply(encoder.encode(k))), 1e-5 * Math.max(1, Math.abs(k)));
    assertEquals(0.0, sk.decrypt(ea.multiply(encoder.encode(0))), 0);
  }

  @Test
  void add_withDifferentExponents_alignsThem() {
    HeKeyPair keys = TestKeys.of(1024);
    var pk = keys.publicKey();
    var coarse = new FixedPointEncoder(pk, 8, 32);
    var fine = new FixedPointEncoder(pk, 40, 32);
    Ciphertext a = pk.encrypt(coarse.encode(3.25));
    Ciphertext b = pk.encrypt(fine.encode(0.000123));
    Ciphertext sum = a.add(b);
    assertEquals(-40, sum.exponent());
    assertEquals(3.250123, keys.privateKey().decrypt(sum), 1e-11);
  }

  @ParameterizedTest(name = "{0}-bit {1} key")
  @CsvSource({"1024, SUBGROUP", "2048, SUBGROUP", "1024, STANDARD"})
  void dot_equalsThePlaintextDotProduct(int bits, HeParameters.Variant variant) {
    HeKeyPair keys = TestKeys.of(bits, variant);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    Random rnd = new Random(11);
    int n = bits == 2048 ? 600 : 2000;
    double[] a = new double[n];
    double[] x = new double[n];
    double expected = 0;
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextGaussian();
      x[i] = rnd.nextGaussian() * (i % 7 == 0 ? 0 : 3); // zeros and both signs
      expected += a[i] * x[i];
    }
    Ciphertext[] ea = EncryptedVectors.encrypt(encoder, a, ENGINE);
    Ciphertext dot = EncryptedVectors.dot(ea, x, encoder, ENGINE);
    // each term carries at most 2^-33 rounding of a and of x
    assertEquals(expected, keys.privateKey().decrypt(dot), n * 3e-9 * 10);
    double[] back = EncryptedVectors.decrypt(keys.privateKey(), ea, ENGINE);
    for (int i = 0; i < n; i++) {
      assertEquals(a[i], back[i], 1e-9);
    }
  }

  @Test
  void vectorAddAndMultiply_areElementWise() {
    HeKeyPair keys = TestKeys.of(1024);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    double[] a = {1, -2, 3.5, 0};
    double[] b = {0.5, 0.5, -10, 7};
    Ciphertext[] sum =
        EncryptedVectors.add(
            EncryptedVectors.encrypt(encoder, a, ENGINE),
            EncryptedVectors.encrypt(encoder, b, ENGINE),
            ENGINE);
    Ciphertext[] prod =
        EncryptedVectors.multiply(EncryptedVectors.encrypt(encoder, a, ENGINE), b, encoder, ENGINE);
    double[] s = EncryptedVectors.decrypt(keys.privateKey(), sum, ENGINE);
    double[] p = EncryptedVectors.decrypt(keys.privateKey(), prod, ENGINE);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i] + b[i], s[i], 1e-9);
      assertEquals(a[i] * b[i], p[i], 1e-8);
    }
  }

  @Test
  void multiExponentiation_matchesOneExponentiationPerTerm() {
    HeKeyPair keys = TestKeys.of(1024);
    var m = keys.publicKey().montgomery();
    Random rnd = new Random(5);
    int n = 300;
    int[][] bases = new int[n][];
    long[] e = new long[n];
    BigInteger expected = BigInteger.ONE;
    BigInteger mod = ((PaillierPublicKey) keys.publicKey()).nSquared();
    for (int i = 0; i < n; i++) {
      BigInteger b = new BigInteger(mod.bitLength() - 1, rnd);
      bases[i] = m.toMontgomery(b);
      e[i] = i % 5 == 0 ? 0 : rnd.nextLong() >>> (1 + rnd.nextInt(63));
      expected = expected.multiply(b.modPow(BigInteger.valueOf(e[i]), mod)).mod(mod);
    }
    assertEquals(expected, m.toBig(MultiExponentiation.product(m, bases, e, 0, n)));
  }

  @Test
  void parameters_under2048Bits_areRefusedWithTheSize() {
    var e = assertThrows(FederaException.class, () -> HeParameters.of(1024));
    assertTrue(e.getMessage().contains("1024-bit"), e.getMessage());
    assertTrue(e.getMessage().contains("2048"), e.getMessage());
    assertThrows(FederaException.class, () -> HeParameters.of(2050));
    assertTrue(HeParameters.insecureForTesting(512).testingOnly());
    assertFalse(HeParameters.of(3072).testingOnly());
    assertThrows(
        FederaException.class,
        () -> PaillierPublicKey.fromModulus(TestKeys.of(1024).publicKey().modulus(), false));
  }

  @Test
  void decrypt_withWrongKey_fails() {
    HeKeyPair a = TestKeys.of(1024);
    HeKeyPair b = HeKeyPair.generate(HeParameters.insecureForTesting(1024));
    Ciphertext c = a.publicKey().encrypt(FixedPointEncoder.defaults(a.publicKey()).encode(1));
    var e = assertThrows(FederaException.class, () -> b.privateKey().decrypt(c));
    assertTrue(e.getMessage().contains("two different keys"), e.getMessage());
    Ciphertext other = b.publicKey().encrypt(FixedPointEncoder.defaults(b.publicKey()).encode(1));
    assertThrows(FederaException.class, () -> c.add(other));
  }

  @Test
  void overflow_isRefusedBeforeItCanHappen() {
    HeKeyPair keys = TestKeys.of(1024);
    var wide = new FixedPointEncoder(keys.publicKey(), 200, 150);
    Ciphertext c = keys.publicKey().encrypt(wide.encode(1e20));
    Ciphertext square = c.multiply(wide.encode(1e20)); // bound 700 bits: fits 1024
    assertEquals(1e40, keys.privateKey().decrypt(square), 1e26);
    var e = assertThrows(FederaException.class, () -> square.multiply(wide.encode(3)));
    assertTrue(e.getMessage().contains("could overflow"), e.getMessage());
  }

  @Test
  void decrypt_inTheOverflowBand_isRefused() {
    HeKeyPair keys = TestKeys.of(1024);
    BigInteger middle = keys.publicKey().modulus().divide(BigInteger.TWO);
    Ciphertext raw = keys.publicKey().encryptRaw(middle);
    Ciphertext asEncoded =
        new Ciphertext(keys.publicKey(), raw.montgomeryValue(), 0, 10); // pretend it is encoded
    var e = assertThrows(FederaException.class, () -> keys.privateKey().decrypt(asEncoded));
    assertTrue(e.getMessage().contains("overflow band"), e.getMessage());
  }

  @Test
  void encode_refusesNonFiniteAndOutOfRangeValues() {
    var encoder = FixedPointEncoder.defaults(TestKeys.of(1024).publicKey());
    assertThrows(FederaException.class, () -> encoder.encode(Double.NaN));
    assertThrows(FederaException.class, () -> encoder.encode(Double.POSITIVE_INFINITY));
    var e = assertThrows(FederaException.class, () -> encoder.encode(1e10));
    assertTrue(e.getMessage().contains("2^32"), e.getMessage());
  }

  @Test
  void privateKey_neverPrintsItsPrimes() {
    HeKeyPair keys = TestKeys.of(1024);
    String text = keys.privateKey().toString() + keys;
    assertTrue(text.contains("<redacted>"));
    assertFalse(text.contains(keys.privateKey().primes()[0].toString()));
    assertFalse(text.contains(keys.privateKey().primes()[0].toString(16)));
  }

  @Test
  void add_manyTimes_growsTheBoundLogarithmically() {
    HeKeyPair keys = TestKeys.of(1024);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    Ciphertext one = keys.publicKey().encrypt(encoder.encode(0.5));
    Ciphertext sum = one;
    for (int i = 1; i < 4096; i++) {
      sum = sum.add(one);
    }
    assertEquals(2048.0, keys.privateKey().decrypt(sum), 1e-9);
    assertEquals(encoder.boundBits() + 12, sum.bound(), 0.01);
  }

  @Test
  void subgroupKey_refusesACiphertextWithForeignRandomness() {
    HeKeyPair keys = TestKeys.of(1024, HeParameters.Variant.SUBGROUP);
    BigInteger n = keys.publicKey().modulus();
    BigInteger n2 = n.multiply(n);
    BigInteger r = new BigInteger(n.bitLength() - 1, new Random(4));
    BigInteger textbook =
        n.add(BigInteger.ONE).modPow(BigInteger.TEN, n2).multiply(r.modPow(n, n2)).mod(n2);
    var e = assertThrows(FederaException.class, () -> keys.privateKey().decryptElement(textbook));
    assertTrue(e.getMessage().contains("not in the key's subgroup"), e.getMessage());
  }

  @Test
  void standardKey_decryptsTextbookCiphertexts() {
    HeKeyPair keys = TestKeys.of(1024, HeParameters.Variant.STANDARD);
    BigInteger n = keys.publicKey().modulus();
    BigInteger n2 = n.multiply(n);
    BigInteger r = new BigInteger(n.bitLength() - 1, new Random(4));
    BigInteger textbook =
        n.add(BigInteger.ONE).modPow(BigInteger.TEN, n2).multiply(r.modPow(n, n2)).mod(n2);
    assertEquals(BigInteger.TEN, keys.privateKey().decryptElement(textbook));
  }

  @Test
  void subgroupKey_hasShortExponentsOfFourKappaBits() {
    HeKeyPair keys = TestKeys.of(2048, HeParameters.Variant.SUBGROUP);
    assertEquals(448, keys.publicKey().shortExponentBits());
    BigInteger[] primes = keys.privateKey().primes();
    assertEquals(4, primes.length);
    assertEquals(224, primes[2].bitLength());
    assertEquals(BigInteger.ZERO, primes[0].subtract(BigInteger.ONE).mod(primes[2]));
    assertEquals(
        1024, TestKeys.of(2048, HeParameters.Variant.STANDARD).publicKey().shortExponentBits());
  }

  /** Known answer for a subgroup key, from tools/reference/paillier_subgroup_kat.py. */
  @Test
  void decrypt_subgroupKnownAnswerVector() {
    BigInteger p =
        new BigInteger("9b1d15ef5126d711d59d28e343a12139ef84fbff27f25d21cc696e82410eb11d", 16);
    BigInteger q =
        new BigInteger("a9a94f0972d2672e293350cf69bf30f3c48ed3ba7d6474a3d711d9ad399117eb", 16);
    BigInteger a = new BigInteger("f3c95789ace1a955", 16);
    BigInteger b = new BigInteger("b459071afb8adf9f", 16);
    BigInteger hs =
        new BigInteger(
            "7649758562fb3aff78289c323b41c67affa02149862024b282928879559a92f925985571b74328dff280aa6c"
                + "d02f0e83c19351fbf6c4e094595403b1f2c7acea03a7cc28cffcc9811694096c5e2ad8e2a749d38ef1e5a"
                + "3919e6d2479930b0917f90bd0cf381854d5251b55b236395a025515fe19985949573b7b0f007afa61d",
            16);
    BigInteger c =
        new BigInteger(
            "ccfa3e2668e726d95c31db298aff2b6ad90d773f02c9a9a0101b7f575f47e0202cddcab9ed48cb67227d0fbc"
                + "592911837ee6f24b454dda7110a3e030de0d9101b15084f1250155839da06a5a525e3361dcbfdff09988"
                + "1574f521b64a8d03196a2c903b6579e9902c4306b719aa322707ad2ff45b3b8c9fbe6db27494fce4a92",
            16);
    var publicKey = PaillierPublicKey.subgroup(p.multiply(q), hs, 32, true);
    var privateKey = PaillierPrivateKey.fromPrimes(publicKey, p, q, a, b);
    assertEquals(new BigInteger("1234567890abcdef", 16), privateKey.decryptElement(c));
  }

  @Test
  void bulkTable_encryptsWhatDecryptsBack_andIsUsedOnlyForBulkWith2048BitSubgroupKeys() {
    // a fresh key pair of the real size (the shared test key would keep the big table for others)
    HeKeyPair keys = HeKeyPair.generate(HeParameters.defaults());
    HePublicKey pk = keys.publicKey();
    FixedPointEncoder enc = FixedPointEncoder.defaults(pk);
    pk.prepareForBulk(HePublicKey.BULK_ENCRYPTIONS - 1);
    Ciphertext before = pk.encrypt(enc.encode(0.5));
    assertEquals(10, pk.tableWindow());
    pk.prepareForBulk(HePublicKey.BULK_ENCRYPTIONS);
    assertEquals(EncryptionTable.BULK_WINDOW, pk.tableWindow());
    Random random = new Random(3);
    for (int i = 0; i < 50; i++) {
      double v = random.nextGaussian() * 1000;
      assertEquals(v, keys.privateKey().decrypt(pk.encrypt(enc.encode(v))), 1e-6);
    }
    // ciphertexts of either table combine
    assertEquals(1.5, keys.privateKey().decrypt(before.add(pk.encrypt(enc.encode(1.0)))), 1e-9);
  }
}
