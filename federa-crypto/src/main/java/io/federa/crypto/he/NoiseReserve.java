package io.federa.crypto.he;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Encryption randomness computed ahead: the costly part of an encryption is its noise ({@code
 * h_s^α} for Paillier, {@code H^r} for OU), which does not depend on the plaintext. A party that
 * knows it will encrypt many values soon (SecureBoost's guest, the next tree's rows) fills a
 * reserve while it would otherwise wait for other parties; an encryption that finds noise in the
 * reserve then costs one multiplication. Each noise is used once and removed; an empty reserve
 * falls back to fresh noise.
 */
public final class NoiseReserve {
  private final HePublicKey key;
  private final ConcurrentLinkedQueue<int[]> noise = new ConcurrentLinkedQueue<>();

  public NoiseReserve(HePublicKey key) {
    this.key = key;
  }

  public HePublicKey key() {
    return key;
  }

  /** Noise values waiting to be used. */
  public int available() {
    return noise.size();
  }

  /**
   * Adds noise until {@code target} values wait, or {@code stop} says so (checked between values);
   * runs in the calling thread.
   */
  public void fill(int target, BooleanSupplier stop) {
    key.prepareForBulk(target);
    while (noise.size() < target && !stop.getAsBoolean()) {
      noise.addAll(java.util.List.of(key.randomNoises(Math.min(BATCH, target - noise.size()))));
    }
  }

  /** Noises computed in one call: enough to fill the native kernel's lanes many times. */
  static final int BATCH = 64;

  /** {@code count} noises: reserved ones while they last, then fresh ones in one batch. */
  int[][] take(int count) {
    int[][] out = new int[count][];
    int k = 0;
    for (int[] n; k < count && (n = noise.poll()) != null; k++) {
      out[k] = n;
    }
    if (k < count) {
      System.arraycopy(key.randomNoises(count - k), 0, out, k, count - k);
    }
    return out;
  }

  /**
   * Raw encryptions ({@link HePublicKey#encryptRaw}) of {@code plaintexts}, with reserved noise
   * while it lasts (then fresh noise), in one batch.
   */
  Ciphertext[] encryptRaw(java.math.BigInteger[] plaintexts) {
    for (java.math.BigInteger p : plaintexts) {
      key.requireRaw(p);
    }
    int[][] values = key.encryptIntoMontgomery(plaintexts, take(plaintexts.length));
    Ciphertext[] out = new Ciphertext[plaintexts.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = new Ciphertext(key, values[k], 0, Ciphertext.RAW);
    }
    return out;
  }
}
