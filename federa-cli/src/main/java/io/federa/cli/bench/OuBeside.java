package io.federa.cli.bench;

import io.federa.cli.Timing;
import io.federa.core.compute.LocalEngine;
import io.federa.crypto.he.Ciphertext;
import io.federa.crypto.he.EncodedNumber;
import io.federa.crypto.he.EncryptedVectors;
import io.federa.crypto.he.FixedPointEncoder;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HePublicKey;
import io.federa.crypto.he.HeScheme;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.function.IntConsumer;

/**
 * {@code bench paillier}'s last table: Okamoto–Uchiyama beside Federa's Paillier, the same one-core
 * operations on the same values with an OU key of the same size, and its vector forms.
 */
final class OuBeside {
  /** Values the one-core figures cycle through. */
  static final int POOL = 64;

  /** An OU figure beside Federa's Paillier figure, and OU's speed-up over it. */
  public record Beside(double ou, double paillier, double speedup) {
    static Beside rates(double ou, double paillier) {
      return new Beside(ou, paillier, ou / paillier);
    }
  }

  /** OU's key generation and operations (per second), beside Paillier's of the same run. */
  public record Ou(
      double keygenS,
      Beside encrypt,
      Beside encryptBatch,
      Beside decrypt,
      Beside add,
      Beside multiply,
      double encryptAllCores,
      double decryptAllCores,
      int ciphertextBytes) {
    void print(PrintWriter out, int bits, int cores) {
      out.printf(
          "%nOkamoto–Uchiyama, %s-bit modulus (key generation %.2f s), %d-byte ciphertexts%n%n",
          bits, keygenS, ciphertextBytes);
      out.printf("%-28s %14s %14s %9s%n", "one core", "ou", "paillier", "ratio");
      beside(out, "encrypt /s", encrypt);
      beside(out, "encrypt, batches of 64 /s", encryptBatch);
      beside(out, "decrypt /s", decrypt);
      beside(out, "add /s", add);
      beside(out, "multiply by a double /s", multiply);
      out.printf("%nall %s cores (ou)%n", cores);
      out.printf("%-28s %14.0f%n", "encrypt /s", encryptAllCores);
      out.printf("%-28s %14.0f%n", "decrypt /s", decryptAllCores);
    }

    private static void beside(PrintWriter out, String name, Beside b) {
      out.printf("%-28s %14.0f %14.0f %8.1f×%n", name, b.ou(), b.paillier(), b.speedup());
    }
  }

  private final int bits;
  private final double seconds;

  OuBeside(int bits, double seconds) {
    this.bits = bits;
    this.seconds = seconds;
  }

  /** The OU figures beside the given Paillier ones ({@code values}: {@link #POOL} doubles). */
  Ou measure(
      double[] values,
      double encrypt,
      double encryptBatch,
      double decrypt,
      double add,
      double multiply) {
    long t0 = System.nanoTime();
    HeKeyPair keys =
        HeKeyPair.generate(HeParameters.of(bits).withScheme(HeScheme.OU), new SecureRandom());
    double keygen = (System.nanoTime() - t0) / 1e9;
    var pk = keys.publicKey();
    var sk = keys.privateKey();
    var encoder = FixedPointEncoder.defaults(pk);
    Ciphertext[] cts = new Ciphertext[POOL];
    for (int i = 0; i < POOL; i++) {
      cts[i] = pk.encrypt(encoder.encode(values[i]));
    }
    Ciphertext[] acc = {cts[0]};
    Beside enc = Beside.rates(rate(i -> pk.encrypt(encoder.encode(values[i % POOL]))), encrypt);
    Beside encBatch = Beside.rates(batchRate(pk, encoder, values, seconds), encryptBatch);
    Beside dec = Beside.rates(rate(i -> sk.decrypt(cts[i % POOL])), decrypt);
    Beside sum = Beside.rates(rate(i -> acc[0] = acc[0].add(cts[i % POOL])), add);
    Beside mul =
        Beside.rates(
            rate(i -> cts[i % POOL].multiply(encoder.encode(values[(i + 7) % POOL]))), multiply);
    try (var all = LocalEngine.allCores()) {
      int batch = 4000;
      double[] many = new double[batch];
      Ciphertext[] manyCts = new Ciphertext[batch];
      for (int i = 0; i < batch; i++) {
        many[i] = values[i % POOL];
        manyCts[i] = cts[i % POOL];
      }
      double encSeconds = Timing.best(2, () -> EncryptedVectors.encrypt(encoder, many, all));
      double decSeconds = Timing.best(2, () -> EncryptedVectors.decrypt(sk, manyCts, all));
      return new Ou(
          keygen,
          enc,
          encBatch,
          dec,
          sum,
          mul,
          batch / encSeconds,
          batch / decSeconds,
          pk.ciphertextBytes());
    }
  }

  /**
   * Encryptions per second on one core in batches of {@link #POOL} ({@code
   * HePublicKey.encrypt(EncodedNumber[])}: the noise, and OU's {@code G^m}, on the native kernel
   * where there is one).
   */
  static double batchRate(
      HePublicKey pk, FixedPointEncoder encoder, double[] values, double seconds) {
    EncodedNumber[] batch = new EncodedNumber[POOL];
    for (int i = 0; i < POOL; i++) {
      batch[i] = encoder.encode(values[i]);
    }
    return POOL * Timing.rate(seconds, i -> pk.encrypt(batch));
  }

  private double rate(IntConsumer op) {
    return Timing.rate(seconds, op);
  }
}
