package io.federa.crypto.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Okamoto–Uchiyama: known answers against the textbook formulas (plain {@code BigInteger}
 * arithmetic, independent of the Montgomery path), the homomorphisms on seeded random values, the
 * signed band, and the wire. 1024-bit keys keep the seeded cases quick (see {@link TestKeys}); each
 * behaviour is also checked at 2048 bits.
 */
class OuTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  @ParameterizedTest(name = "{0} bits")
  @ValueSource(ints = {1024, 2048})
  void keys_haveTheDocumentedShape(int bits) {
    HeKeyPair keys = TestKeys.ou(bits);
    OuPublicKey pk = (OuPublicKey) keys.publicKey();
    BigInteger[] pqt = keys.privateKey().primes();
    BigInteger p = pqt[0];
    BigInteger q = pqt[1];
    BigInteger t = pqt[2];
    assertEquals(bits, pk.modulusBits());
    assertEquals(p.multiply(p).multiply(q), pk.modulus());
    assertEquals((bits + 2) / 3, p.bitLength());
    assertEquals(2 * HeParameters.insecureForTesting(bits).securityBits(), t.bitLength());
    assertEquals(BigInteger.ZERO, p.subtract(BigInteger.ONE).mod(t));
    assertTrue(p.isProbablePrime(60) && q.isProbablePrime(60) && t.isProbablePrime(60));
    // H's order modulo p divides t: c^t removes the noise
    assertEquals(BigInteger.ONE, pk.h().mod(p).modPow(t, p));
    assertEquals(bits / 8, pk.ciphertextBytes()); // half of Paillier's
    assertEquals(p.bitLength() - 1, pk.rawPlaintextBits());
    assertEquals(HeScheme.OU, pk.scheme());
  }

  /**
   * Textbook encryption {@code G^m·H^r mod n} decrypts; ours decrypts with the textbook formula.
   */
  @ParameterizedTest(name = "{0} bits")
  @ValueSource(ints = {1024, 2048})
  void knownAnswers_agreeWithTheTextbookFormulas(int bits) {
    HeKeyPair keys = TestKeys.ou(bits);
    OuPublicKey pk = (OuPublicKey) keys.publicKey();
    OuPrivateKey sk = (OuPrivateKey) keys.privateKey();
    BigInteger p = sk.primes()[0];
    BigInteger p2 = p.multiply(p);
    BigInteger n = pk.modulus();
    Random rnd = new Random(bits);
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger lg = pk.g().modPow(pm1, p2).subtract(BigInteger.ONE).divide(p);
    for (int i = 0; i < 10; i++) {
      BigInteger m = new BigInteger(pk.rawPlaintextBits(), rnd);
      BigInteger r = new BigInteger(bits, rnd);
      BigInteger c = pk.g().modPow(m, n).multiply(pk.h().modPow(r, n)).mod(n);
      assertEquals(m, sk.decryptElement(c));
      BigInteger ours = pk.encryptRaw(m).element();
      // Okamoto–Uchiyama's decryption: L(c^(p−1) mod p²) / L(G^(p−1) mod p²) mod p
      BigInteger lc = ours.modPow(pm1, p2).subtract(BigInteger.ONE).divide(p);
      assertEquals(m, lc.multiply(lg.modInverse(p)).mod(p));
    }
  }

  @Test
  void encryptDecrypt_roundTripsDoublesIntegersAndNegatives() {
    for (int bits : new int[] {1024, 2048}) {
      HeKeyPair keys = TestKeys.ou(bits);
      var encoder = FixedPointEncoder.defaults(keys.publicKey());
      Random rnd = new Random(bits);
      for (int i = 0; i < 40; i++) {
        double x = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(12) - 4);
        Ciphertext c = keys.publicKey().encrypt(encoder.encode(x));
        assertEquals(x, keys.privateKey().decrypt(c), 1e-9 * Math.max(1, Math.abs(x)));
      }
      for (long v : new long[] {0, 1, -1, Integer.MAX_VALUE, -123456789L}) {
        assertEquals(
            v, keys.privateKey().decrypt(keys.publicKey().encrypt(encoder.encodeInteger(v))));
      }
      Ciphertext a = keys.publicKey().encrypt(encoder.encode(3));
      Ciphertext b = keys.publicKey().encrypt(encoder.encode(3));
      assertNotEquals(a.element(), b.element(), "encryption is randomised");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void homomorphisms_holdOnRandomValues(long seed) {
    HeKeyPair keys = TestKeys.ou(1024);
    HePublicKey pk = keys.publicKey();
    HePrivateKey sk = keys.privateKey();
    var enc = FixedPointEncoder.defaults(pk);
    Random rnd = new Random(seed);
    double x = (rnd.nextDouble() - 0.5) * 1e4;
    double y = (rnd.nextDouble() - 0.5) * 1e4;
    double k = (rnd.nextDouble() - 0.5) * 100;
    Ciphertext cx = pk.encrypt(enc.encode(x));
    Ciphertext cy = pk.encrypt(enc.encode(y));
    assertEquals(x + y, sk.decrypt(cx.add(cy)), 1e-6);
    assertEquals(x + k, sk.decrypt(cx.addPlain(enc.encode(k))), 1e-6);
    assertEquals(x * k, sk.decrypt(cx.multiply(enc.encode(k))), 1e-5);
    assertEquals(-x, sk.decrypt(cx.negate()), 1e-6);
    assertEquals(x, sk.decrypt(cx.rerandomize()), 1e-6);
    assertEquals(x / 4, sk.decrypt(cx.scaleByPowerOfTwo(-2)), 1e-6);
    assertEquals(x, sk.decrypt(cx.withExponent(cx.exponent() - 7)), 1e-6);
    double[] xs = new double[50];
    double[] ws = new double[50];
    double dot = 0;
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (rnd.nextDouble() - 0.5) * 10;
      ws[i] = (rnd.nextDouble() - 0.5) * 10;
      dot += xs[i] * ws[i];
    }
    Ciphertext[] cs = EncryptedVectors.encrypt(enc, xs, ENGINE);
    assertEquals(dot, sk.decrypt(EncryptedVectors.dot(cs, ws, enc, ENGINE)), 1e-6);
    assertArrayEquals(xs, EncryptedVectors.decrypt(sk, cs, ENGINE), 1e-9);
  }

  @Test
  void packing_usesTheRawPlaintextSpace() {
    HeKeyPair keys = TestKeys.ou(2048);
    PackingScheme scheme = PackingScheme.create(keys.publicKey(), BigInteger.ONE.shiftLeft(53), 1);
    assertEquals(682 / scheme.slotBits(), scheme.capacity());
    long[] values = new long[scheme.capacity()];
    Random rnd = new Random(9);
    for (int i = 0; i < values.length; i++) {
      values[i] = rnd.nextLong() >>> 11;
    }
    var packed = scheme.encrypt(values);
    BigInteger[] back = scheme.decrypt(keys.privateKey(), packed);
    for (int i = 0; i < values.length; i++) {
      assertEquals(BigInteger.valueOf(values[i]), back[i]);
    }
  }

  /**
   * The chosen-ciphertext defence: a ciphertext of {@code M ≥ p} (made here with the textbook
   * formula, as a cheating party would) decrypts to {@code M mod p}, which lands outside the signed
   * band and is refused rather than released; so is an overflowing sum.
   */
  @Test
  void signedBand_refusesCraftedAndOverflowingPlaintexts() {
    HeKeyPair keys = TestKeys.ou(2048);
    OuPublicKey pk = (OuPublicKey) keys.publicKey();
    BigInteger p = keys.privateKey().primes()[0];
    BigInteger n = pk.modulus();
    BigInteger big = p.multiply(BigInteger.valueOf(12345)).add(new BigInteger("987654321"));
    big = big.add(BigInteger.ONE.shiftLeft(600)); // M mod p = 2^600 + 987654321: out of band
    Ciphertext crafted =
        new Ciphertext(pk, pk.montgomery().toMontgomery(pk.g().modPow(big, n)), -32, 64);
    var e = assertThrows(FederaException.class, () -> keys.privateKey().decrypt(crafted));
    assertTrue(e.getMessage().contains("signed band"), e.getMessage());
    // the public side refuses what could overflow before it happens
    var enc = new FixedPointEncoder(pk, 200, 100);
    Ciphertext c = pk.encrypt(enc.encode(1));
    assertThrows(FederaException.class, () -> c.multiply(enc.encode(2)));
    assertThrows(FederaException.class, () -> new FixedPointEncoder(pk, 300, 100));
  }

  @Test
  void forgedNoise_andForeignKeys_areRefused() {
    HeKeyPair keys = TestKeys.ou(1024);
    OuPublicKey pk = (OuPublicKey) keys.publicKey();
    // an element whose p-part is not in the order-t subgroup: not made with this key's noise
    BigInteger forged = pk.h().multiply(BigInteger.valueOf(7)).mod(pk.modulus());
    var e =
        assertThrows(
            FederaException.class,
            () ->
                keys.privateKey()
                    .decryptRaw(
                        new Ciphertext(
                            pk, pk.montgomery().toMontgomery(forged), 0, Ciphertext.RAW)));
    assertTrue(e.getMessage().contains("randomness"), e.getMessage());
    HeKeyPair other =
        HeKeyPair.generate(HeParameters.insecureForTesting(1024).withScheme(HeScheme.OU));
    Ciphertext c = pk.encrypt(FixedPointEncoder.defaults(pk).encode(1));
    assertThrows(FederaException.class, () -> other.privateKey().decrypt(c));
    // a Paillier key and an OU key never mix
    HeKeyPair paillier = TestKeys.of(1024);
    assertThrows(
        FederaException.class,
        () ->
            c.add(
                paillier
                    .publicKey()
                    .encrypt(FixedPointEncoder.defaults(paillier.publicKey()).encode(1))));
  }

  @Test
  void keyAndCiphertextCodecs_roundTripAndRefuseBadInput() {
    HeKeyPair keys = TestKeys.ou(2048);
    HePublicKey pk =
        HeKeyCodec.decodePublicKey(HeKeyCodec.encodePublicKey(keys.publicKey()), false);
    assertEquals(keys.publicKey(), pk);
    assertTrue(pk instanceof OuPublicKey);
    HePrivateKey sk =
        HeKeyCodec.decodePrivateKey(HeKeyCodec.encodePrivateKey(keys.privateKey()), false);
    assertEquals(keys.privateKey(), sk);
    var enc = FixedPointEncoder.defaults(pk);
    Ciphertext[] cs = {pk.encrypt(enc.encode(-2.5)), pk.encrypt(enc.encode(7))};
    byte[] wire = CiphertextCodec.encode(cs);
    assertEquals(7 + 2 * (20 + 256), wire.length);
    Ciphertext[] back = CiphertextCodec.decode(pk, wire);
    assertEquals(-2.5, sk.decrypt(back[0]), 1e-9);
    assertEquals(7, sk.decrypt(back[1]), 1e-9);
    // a 1024-bit OU key is refused outside tests; a bad base is refused
    byte[] small = HeKeyCodec.encodePublicKey(TestKeys.ou(1024).publicKey());
    assertThrows(FederaException.class, () -> HeKeyCodec.decodePublicKey(small, false));
    var ou = (OuPublicKey) keys.publicKey();
    assertThrows(
        FederaException.class,
        () -> OuPublicKey.fromParts(ou.modulus(), BigInteger.ONE, ou.h(), false));
    assertEquals("OuPrivateKey<redacted>", keys.privateKey().toString());
  }

  /** The bulk tables (noise and G in 12-bit windows) encrypt what decrypts back, signed or raw. */
  @Test
  void bulkTables_encryptWhatDecryptsBack() {
    HeKeyPair keys =
        HeKeyPair.generate(HeParameters.defaults().withScheme(HeScheme.OU)); // its own tables
    OuPublicKey pk = (OuPublicKey) keys.publicKey();
    pk.prepareForBulk(HePublicKey.BULK_ENCRYPTIONS);
    assertEquals(EncryptionTable.BULK_WINDOW, pk.tableWindow());
    var enc = FixedPointEncoder.defaults(pk);
    Random rnd = new Random(21);
    for (int i = 0; i < 20; i++) {
      double x = (rnd.nextDouble() - 0.5) * 1e6;
      assertEquals(x, keys.privateKey().decrypt(pk.encrypt(enc.encode(x))), 1e-6);
      BigInteger raw = new BigInteger(pk.rawPlaintextBits(), rnd);
      assertEquals(raw, keys.privateKey().decryptRaw(pk.encryptRaw(raw)));
    }
  }

  @Test
  void scheme_namesFollowFate() {
    assertEquals(HeScheme.OU, HeScheme.fromName("OU"));
    assertEquals(HeScheme.PAILLIER, HeScheme.fromName("paillier"));
    var e = assertThrows(FederaException.class, () -> HeScheme.fromName("iterativeAffine"));
    assertTrue(e.getMessage().contains("'paillier' or 'ou'"), e.getMessage());
  }
}
