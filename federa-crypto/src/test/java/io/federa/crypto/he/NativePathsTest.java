package io.federa.crypto.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.federa.core.compute.LocalEngine;
import io.federa.crypto.internal.Montgomery;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every batch operation gives the same ciphertexts (for the same randomness) and the same
 * plaintexts on the native IFMA kernel as on the Java path, seeded, at batch sizes 1..17 and 1,000,
 * for Paillier keys of 2048, 3072 and 4096 bits and an OU key of 2048 bits: encryption, decryption,
 * addition, multiplication by signed scalars (zero among them), the dot product and a histogram's
 * sums by bin; each is also checked against the one-at-a-time operation. Where the kernel is not in
 * use (no IFMA here, or surefire's run with {@code -Dfedera.he.native=false}) both sides are the
 * Java path, and the batch forms are still checked against the single operations.
 */
class NativePathsTest {
  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("Paillier 2048", (Supplier<HeKeyPair>) () -> TestKeys.of(2048)),
        Arguments.of("Paillier 3072", (Supplier<HeKeyPair>) () -> TestKeys.of(3072)),
        Arguments.of("Paillier 4096", (Supplier<HeKeyPair>) () -> TestKeys.of(4096)),
        Arguments.of("OU 2048", (Supplier<HeKeyPair>) () -> TestKeys.ou(2048)),
        Arguments.of("OU 3072", (Supplier<HeKeyPair>) () -> TestKeys.ou(3072)),
        Arguments.of("OU 4096", (Supplier<HeKeyPair>) () -> TestKeys.ou(4096)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void batchOperations_areTheSameOnBothPaths(String name, Supplier<HeKeyPair> keyPair) {
    HeKeyPair keys = keyPair.get();
    HePublicKey pk = keys.publicKey();
    HePrivateKey sk = keys.privateKey();
    FixedPointEncoder encoder = FixedPointEncoder.defaults(pk);
    Random rnd = new Random(name.hashCode());
    List<Integer> sizes = new ArrayList<>(IntStream.rangeClosed(1, 17).boxed().toList());
    sizes.add(1000);
    for (int size : sizes) {
      String at = name + ", batch of " + size;
      double[] values = new double[size];
      EncodedNumber[] plain = new EncodedNumber[size];
      EncodedNumber[] scalars = new EncodedNumber[size];
      double[] x = new double[size];
      BigInteger[] noise = new BigInteger[size];
      for (int k = 0; k < size; k++) {
        values[k] = rnd.nextGaussian() * 100;
        plain[k] = encoder.encode(values[k]);
        x[k] = k % 7 == 3 ? 0 : rnd.nextGaussian() * 3;
        scalars[k] = encoder.encode(x[k]);
        noise[k] = new BigInteger(pk.shortExponentBits(), rnd);
      }
      Ciphertext[] a = both(at + ": encryption", pk, () -> pk.encrypt(plain, noise));
      Ciphertext[] b = pk.encrypt(plain);
      double[] decrypted = sk.decrypt(a);
      for (int k = 0; k < size; k++) {
        assertEquals(sk.decrypt(a[k]), decrypted[k], at + ": decryption " + k);
        assertEquals(values[k], decrypted[k], 1e-9, at + ": decryption " + k);
      }
      Montgomery.enableNative(false);
      try {
        assertArrayEquals(decrypted, sk.decrypt(a), at + ": decryption on the Java path");
      } finally {
        Montgomery.enableNative(true);
      }
      Ciphertext[] sums = both(at + ": addition", pk, () -> Ciphertext.addAll(a, b));
      Ciphertext[] products =
          both(at + ": multiplication", pk, () -> Ciphertext.multiplyAll(a, scalars));
      for (int k = 0; k < size; k++) {
        assertSame(pk, a[k].add(b[k]), sums[k], at + ": addition " + k);
        assertSame(pk, a[k].multiply(scalars[k]), products[k], at + ": multiplication " + k);
      }
      try (var one = LocalEngine.withThreads(1, LocalEngine.DEFAULT_GRAIN)) {
        Ciphertext dot =
            both(
                at + ": dot product",
                pk,
                () -> new Ciphertext[] {EncryptedVectors.dot(a, x, encoder, one)})[0];
        double expected = 0;
        for (int k = 0; k < size; k++) {
          expected += decrypted[k] * FixedPointEncoder.decode(encoder.encode(x[k]));
        }
        assertEquals(expected, sk.decrypt(dot), 1e-6 * (1 + Math.abs(expected)), at + ": dot");
      }
      histogram(at, keys, rnd, size);
    }
  }

  /** A histogram's sums by bin (packed gradients): the same ciphertexts on both paths. */
  private static void histogram(String at, HeKeyPair keys, Random rnd, int size) {
    var scheme = PackingScheme.create(keys.publicKey(), BigInteger.valueOf((1L << 40) - 1), size);
    PackingScheme.Packed[] rows = new PackingScheme.Packed[size];
    byte[] bin = new byte[size];
    for (int i = 0; i < size; i++) {
      rows[i] = scheme.encrypt(rnd.nextLong() >>> 24, rnd.nextInt(1000));
      bin[i] = (byte) rnd.nextInt(5);
    }
    int[] which = IntStream.range(0, size).toArray();
    PackingScheme.Packed[] onNative = scheme.sumByBin(rows, which, bin, 5);
    Montgomery.enableNative(false);
    PackingScheme.Packed[] onJava;
    try {
      onJava = scheme.sumByBin(rows, which, bin, 5);
    } finally {
      Montgomery.enableNative(true);
    }
    for (int b = 0; b < 5; b++) {
      assertEquals(onJava[b] == null, onNative[b] == null, at + ": histogram bin " + b);
      if (onJava[b] != null) {
        assertSame(
            keys.publicKey(),
            onJava[b].ciphertext(),
            onNative[b].ciphertext(),
            at + ": histogram bin " + b);
      }
    }
  }

  /** The operation on the native path and on the Java path: the same ciphertexts, returned. */
  private static Ciphertext[] both(String what, HePublicKey pk, Supplier<Ciphertext[]> op) {
    Ciphertext[] onNative = op.get();
    Montgomery.enableNative(false);
    Ciphertext[] onJava;
    try {
      onJava = op.get();
    } finally {
      Montgomery.enableNative(true);
    }
    assertEquals(onJava.length, onNative.length, what);
    for (int k = 0; k < onJava.length; k++) {
      assertSame(pk, onJava[k], onNative[k], what + " " + k);
    }
    return onNative;
  }

  /** The same ciphertext: element (in its canonical form), exponent and bound. */
  private static void assertSame(HePublicKey pk, Ciphertext expected, Ciphertext actual, String w) {
    Montgomery m = pk.montgomery();
    assertArrayEquals(
        m.canonical(expected.montgomeryValue()), m.canonical(actual.montgomeryValue()), w);
    assertEquals(expected.exponent(), actual.exponent(), w);
    assertEquals(expected.bound(), actual.bound(), w);
  }
}
