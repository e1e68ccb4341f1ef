package io.federa.crypto.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackingAndCodecTest {
  @ParameterizedTest(name = "{0}-bit key")
  @ValueSource(ints = {1024, 2048})
  void packing_roundTripsAndAddsSlotBySlot(int bits) {
    HeKeyPair keys = TestKeys.of(bits);
    var scheme = PackingScheme.create(keys.publicKey(), BigInteger.valueOf((1L << 40) - 1), 1000);
    assertEquals(50, scheme.slotBits());
    assertEquals((bits - 1) / 50, scheme.capacity());
    Random rnd = new Random(bits);
    int slots = scheme.capacity();
    long[] a = new long[slots];
    long[] b = new long[slots];
    for (int i = 0; i < slots; i++) {
      a[i] = rnd.nextLong() >>> 24;
      b[i] = i == 0 ? (1L << 40) - 1 : rnd.nextLong() >>> 24;
    }
    var pa = scheme.encrypt(a);
    var pb = scheme.encrypt(b);
    BigInteger[] back = scheme.decrypt(keys.privateKey(), pa);
    BigInteger[] sum = scheme.decrypt(keys.privateKey(), pa.add(pb));
    for (int i = 0; i < slots; i++) {
      assertEquals(BigInteger.valueOf(a[i]), back[i]);
      assertEquals(BigInteger.valueOf(a[i]).add(BigInteger.valueOf(b[i])), sum[i]);
    }
  }

  /** SecureBoost's histogram path: sums of 3-slot rows, one subtracted, several compressed. */
  /**
   * Batch encryption (noise, and OU's {@code G^m}, as chains on the native kernel where there is
   * one; with reserved noise too) decrypts to the values: negative, zero, large, for Paillier and
   * OU at 1024 and 2048 bits, in batches under and over the native threshold.
   */
  @ParameterizedTest(name = "{0}, {1} bits")
  @org.junit.jupiter.params.provider.CsvSource({
    "PAILLIER, 1024",
    "OU, 1024",
    "PAILLIER, 2048",
    "OU, 2048"
  })
  void batchEncryption_decryptsToTheValues(HeScheme scheme, int bits) {
    HeKeyPair keys = scheme == HeScheme.OU ? TestKeys.ou(bits) : TestKeys.of(bits);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    java.util.Random rnd = new java.util.Random(bits);
    for (int size : new int[] {1, 3, 100}) {
      double[] values = new double[size];
      EncodedNumber[] encoded = new EncodedNumber[size];
      for (int i = 0; i < size; i++) {
        values[i] = i % 3 == 0 ? 0 : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 3);
        encoded[i] = encoder.encode(values[i]);
      }
      Ciphertext[] cts = keys.publicKey().encrypt(encoded);
      for (int i = 0; i < size; i++) {
        assertEquals(
            values[i], keys.privateKey().decrypt(cts[i]), 1e-9 * (1 + Math.abs(values[i])));
      }
      long[][] rows = new long[size][];
      PackingScheme packing =
          PackingScheme.create(keys.publicKey(), BigInteger.valueOf(1L << 40), 8);
      for (int i = 0; i < size; i++) {
        rows[i] = new long[] {i, rnd.nextInt(1 << 30), 1L << 40};
      }
      var reserve = new NoiseReserve(keys.publicKey());
      reserve.fill(size / 2, () -> false);
      Ciphertext[] packed;
      try (var one = io.federa.core.compute.LocalEngine.withThreads(1, 16)) {
        packed = packing.encryptAll(rows, one, reserve);
      }
      assertEquals(0, reserve.available());
      for (int i = 0; i < size; i++) {
        BigInteger[] slots =
            packing.decrypt(keys.privateKey(), new PackingScheme.Packed(packing, packed[i], 3, 1));
        for (int k = 0; k < 3; k++) {
          assertEquals(BigInteger.valueOf(rows[i][k]), slots[k], "row " + i + ", slot " + k);
        }
      }
    }
  }

  @Test
  void packedSums_subtractAndCompressIntoOneCiphertext() {
    HeKeyPair keys = TestKeys.of(1024);
    var scheme = PackingScheme.create(keys.publicKey(), BigInteger.valueOf((1L << 53) - 1), 64);
    int perSum = 3;
    int sums = scheme.capacity() / perSum;
    assertTrue(sums >= 2, "capacity " + scheme.capacity());
    Random rnd = new Random(7);
    List<PackingScheme.Packed> parts = new ArrayList<>();
    long[][] expected = new long[sums][perSum];
    for (int s = 0; s < sums; s++) {
      long[] a = {rnd.nextLong() >>> 11, rnd.nextLong() >>> 11, 1};
      long[] b = {rnd.nextLong() >>> 11, rnd.nextLong() >>> 11, 1};
      var parent = scheme.encrypt(a).add(scheme.encrypt(b));
      parts.add(parent.subtract(scheme.encrypt(b))); // = a
      expected[s] = a;
    }
    var one = scheme.compress(parts);
    assertEquals(sums * perSum, one.slots());
    BigInteger[] back = scheme.decrypt(keys.privateKey(), one);
    for (int s = 0; s < sums; s++) {
      for (int k = 0; k < perSum; k++) {
        assertEquals(BigInteger.valueOf(expected[s][k]), back[s * perSum + k], s + "/" + k);
      }
    }
    parts.add(parts.get(0));
    var e = assertThrows(FederaException.class, () -> scheme.compress(parts));
    assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
  }

  /**
   * Sums by bin in place (a histogram's inner loop) equal the sums of separate additions, slot by
   * slot, with empty bins null; more terms than the slots were sized for are refused. Under OU too.
   */
  @Test
  void sumByBin_equalsSeparateAdditions() {
    for (HeKeyPair keys : List.of(TestKeys.of(1024), TestKeys.ou(1024))) {
      var scheme = PackingScheme.create(keys.publicKey(), BigInteger.valueOf((1L << 40) - 1), 50);
      Random rnd = new Random(11);
      int n = 50;
      PackingScheme.Packed[] rows = new PackingScheme.Packed[n];
      long[][] plain = new long[n][];
      byte[] bin = new byte[n];
      for (int i = 0; i < n; i++) {
        plain[i] = new long[] {rnd.nextLong() >>> 24, rnd.nextLong() >>> 24, rnd.nextInt(1000)};
        rows[i] = scheme.encrypt(plain[i]);
        bin[i] = (byte) (i % 3 == 0 ? 0 : 2); // bin 1 stays empty
      }
      int[] which = java.util.stream.IntStream.range(0, n).filter(i -> i != 7).toArray();
      PackingScheme.Packed[] sums = scheme.sumByBin(rows, which, bin, 4);
      assertEquals(null, sums[1]);
      assertEquals(null, sums[3]);
      for (int b : new int[] {0, 2}) {
        long[] expected = new long[3];
        long terms = 0;
        for (int i : which) {
          if (bin[i] == b) {
            for (int k = 0; k < 3; k++) {
              expected[k] += plain[i][k];
            }
            terms++;
          }
        }
        assertEquals(terms, sums[b].terms());
        BigInteger[] back = scheme.decrypt(keys.privateKey(), sums[b]);
        for (int k = 0; k < 3; k++) {
          assertEquals(BigInteger.valueOf(expected[k]), back[k], "bin " + b + " slot " + k);
        }
      }
      var small = PackingScheme.create(keys.publicKey(), BigInteger.valueOf((1L << 40) - 1), 10);
      PackingScheme.Packed[] few = new PackingScheme.Packed[n];
      for (int i = 0; i < n; i++) {
        few[i] = small.encrypt(plain[i]);
      }
      var e = assertThrows(FederaException.class, () -> small.sumByBin(few, which, bin, 4));
      assertTrue(e.getMessage().contains("sized for 10"), e.getMessage());
    }
  }

  /** Noise computed ahead is used once each; the rest is fresh; every row decrypts exactly. */
  @Test
  void encryptAll_takesReservedNoiseOnce_andDecryptsEveryRow() {
    HeKeyPair keys = TestKeys.of(1024);
    var scheme = PackingScheme.create(keys.publicKey(), BigInteger.valueOf((1L << 53) - 1), 64);
    var reserve = new NoiseReserve(keys.publicKey());
    reserve.fill(5, () -> false);
    assertEquals(5, reserve.available());
    long[][] rows = new long[8][];
    Random rnd = new Random(11);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new long[] {rnd.nextLong() >>> 11, rnd.nextLong() >>> 11, i};
    }
    Ciphertext[] out =
        scheme.encryptAll(rows, io.federa.core.compute.LocalEngine.allCores(), reserve);
    assertEquals(0, reserve.available());
    java.util.Set<BigInteger> elements = new java.util.HashSet<>();
    for (int i = 0; i < rows.length; i++) {
      BigInteger[] back =
          scheme.decrypt(keys.privateKey(), new PackingScheme.Packed(scheme, out[i], 3, 1));
      for (int k = 0; k < 3; k++) {
        assertEquals(BigInteger.valueOf(rows[i][k]), back[k]);
      }
      elements.add(out[i].element());
    }
    assertEquals(rows.length, elements.size(), "no noise used twice");
  }

  @Test
  void packing_refusesTooManyValuesOutOfRangeValuesAndTooManyTerms() {
    HeKeyPair keys = TestKeys.of(1024);
    var scheme = PackingScheme.create(keys.publicKey(), BigInteger.valueOf(255), 2);
    long[] tooMany = new long[scheme.capacity() + 1];
    assertTrue(
        assertThrows(FederaException.class, () -> scheme.encrypt(tooMany))
            .getMessage()
            .contains("do not fit"));
    assertThrows(FederaException.class, () -> scheme.encrypt(256));
    assertThrows(FederaException.class, () -> scheme.encrypt(-1));
    var one = scheme.encrypt(7);
    var two = one.add(one);
    var e = assertThrows(FederaException.class, () -> two.add(one));
    assertTrue(e.getMessage().contains("sized for 2"), e.getMessage());
    assertThrows(
        FederaException.class,
        () -> PackingScheme.create(keys.publicKey(), BigInteger.ONE.shiftLeft(2000), 1));
  }

  @Test
  void codec_roundTripsAVector() {
    HeKeyPair keys = TestKeys.of(1024);
    var encoder = FixedPointEncoder.defaults(keys.publicKey());
    Ciphertext[] values = new Ciphertext[5];
    for (int i = 0; i < values.length; i++) {
      values[i] = keys.publicKey().encrypt(encoder.encode(i - 2.5));
    }
    Ciphertext[] back = CiphertextCodec.decode(keys.publicKey(), CiphertextCodec.encode(values));
    for (int i = 0; i < values.length; i++) {
      assertEquals(i - 2.5, keys.privateKey().decrypt(back[i]), 1e-9);
      assertEquals(values[i].exponent(), back[i].exponent());
      assertEquals(values[i].bound(), back[i].bound());
    }
  }

  @Test
  void keyCodec_roundTripsBothVariantsAndRefusesBadKeys() {
    for (var variant : HeParameters.Variant.values()) {
      HeKeyPair keys = TestKeys.of(1024, variant);
      var pk = HeKeyCodec.decodePublicKey(HeKeyCodec.encodePublicKey(keys.publicKey()), true);
      assertEquals(keys.publicKey(), pk);
      assertEquals(variant, ((PaillierPublicKey) pk).variant());
      var sk = HeKeyCodec.decodePrivateKey(HeKeyCodec.encodePrivateKey(keys.privateKey()), true);
      assertEquals(keys.privateKey(), sk);
      var encoder = FixedPointEncoder.defaults(pk);
      assertEquals(-4.75, sk.decrypt(keys.publicKey().encrypt(encoder.encode(-4.75))), 1e-9);
      // a 1024-bit key is refused outside tests
      byte[] bytes = HeKeyCodec.encodePublicKey(keys.publicKey());
      var e = assertThrows(FederaException.class, () -> HeKeyCodec.decodePublicKey(bytes, false));
      assertTrue(e.getMessage().contains("1024-bit"), e.getMessage());
      assertThrows(
          FederaException.class,
          () -> HeKeyCodec.decodePublicKey(Arrays.copyOf(bytes, bytes.length - 3), true));
    }
    var forged =
        assertThrows(
            FederaException.class,
            () ->
                PaillierPublicKey.fromModulusAndBase(
                    TestKeys.of(1024).publicKey().modulus(), BigInteger.ONE, true));
    assertTrue(forged.getMessage().contains("h_s"), forged.getMessage());
  }

  private static FederaException refused(HePublicKey key, byte[] bytes) {
    return assertThrows(FederaException.class, () -> CiphertextCodec.decode(key, bytes));
  }

  @Test
  void codec_refusesTruncatedTamperedAndForeignCiphertexts() {
    HeKeyPair keys = TestKeys.of(1024);
    var pk = keys.publicKey();
    byte[] good = CiphertextCodec.encode(pk.encrypt(FixedPointEncoder.defaults(pk).encode(1)));

    assertTrue(
        refused(pk, Arrays.copyOf(good, good.length - 1)).getMessage().contains("truncated"));
    assertTrue(refused(pk, new byte[] {1, 2, 3}).getMessage().contains("bad header"));

    HeKeyPair other = HeKeyPair.generate(HeParameters.insecureForTesting(1024));
    assertTrue(refused(other.publicKey(), good).getMessage().contains("another key"));

    int body = good.length - pk.ciphertextBytes();
    byte[] zero = good.clone();
    Arrays.fill(zero, body, zero.length, (byte) 0);
    assertTrue(refused(pk, zero).getMessage().contains("not an element of the key"));

    byte[] tooBig = good.clone();
    Arrays.fill(tooBig, body, tooBig.length, (byte) 0xff);
    assertTrue(refused(pk, tooBig).getMessage().contains("not an element of the key"));

    // c = p: in range, but it shares a factor with n and would leak it through decryption
    byte[] factor = good.clone();
    byte[] p = keys.privateKey().primes()[0].toByteArray();
    Arrays.fill(factor, body, factor.length, (byte) 0);
    int len = p[0] == 0 ? p.length - 1 : p.length;
    System.arraycopy(p, p.length - len, factor, factor.length - len, len);
    assertTrue(refused(pk, factor).getMessage().contains("shares a factor with n"));
  }

  @Test
  void codec_encodesEveryCiphertextAtFixedWidth() {
    HeKeyPair keys = TestKeys.of(1024);
    var pk = keys.publicKey();
    byte[] bytes =
        CiphertextCodec.encode(pk.encryptRaw(BigInteger.ZERO), pk.encryptRaw(BigInteger.ONE));
    assertEquals(7 + 2 * (20 + pk.ciphertextBytes()), bytes.length);
    assertArrayEquals(pk.fingerprint(), Arrays.copyOfRange(bytes, 7, 15));
  }

  /**
   * A private key with a number zeroed (a corrupt file; the fuzz test once reached an
   * ArithmeticException this way) is refused with a clear error, for every number and both schemes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"PAILLIER", "OU"})
  void privateKeyWithAZeroNumber_isRefusedAsCorrupt(String scheme) {
    HeKeyPair keys =
        HeKeyPair.generate(
            HeParameters.insecureForTesting(1024).withScheme(HeScheme.valueOf(scheme)));
    byte[] publicKey = HeKeyCodec.encodePublicKey(keys.publicKey());
    BigInteger[] numbers = keys.privateKey().primes();
    for (int zero = 0; zero < numbers.length; zero++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(publicKey.length).array());
      out.writeBytes(publicKey);
      for (int k = 0; k < numbers.length; k++) {
        byte[] b = k == zero ? new byte[0] : numbers[k].toByteArray();
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
      }
      byte[] bytes = out.toByteArray();
      var e =
          assertThrows(
              FederaException.class,
              () -> HeKeyCodec.decodePrivateKey(bytes, true),
              "number " + zero);
      assertTrue(e.getMessage().contains("key"), e.getMessage());
    }
  }
}
