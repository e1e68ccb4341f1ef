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
  // ConcurrentLinkedQueue.size() walks the queue: the count is kept beside it
  private final java.util.concurrent.atomic.AtomicInteger count =
      new java.util.concurrent.atomic.AtomicInteger();

  public NoiseReserve(HePublicKey key) {
    this.key = key;
  }

  public HePublicKey key() {
    return key;
  }

  /** Noise values waiting to be used. */
  public int available() {
    return count.get();
  }

  /**
   * Adds noise until {@code target} values wait, or {@code stop} says so (checked between values);
   * runs in the calling thread.
   */
  public void fill(int target, BooleanSupplier stop) {
    key.prepareForBulk(target);
    while (count.get() < target && !stop.getAsBoolean()) {
      int[][] batch = key.randomNoises(Math.min(BATCH, target - count.get()));
      noise.addAll(java.util.List.of(batch));
      count.addAndGet(batch.length);
    }
  }

  /** Noises computed in one call: enough to fill the native kernel's lanes many times. */
  static final int BATCH = 64;

  /** {@code count} noises: reserved ones while they last, then fresh ones in one batch. */
  int[][] take(int wanted) {
    int[][] out = new int[wanted][];
    int k = 0;
    for (int[] n; k < wanted && (n = noise.poll()) != null; k++) {
      out[k] = n;
      count.decrementAndGet();
    }
    if (k < wanted) {
      System.arraycopy(key.randomNoises(wanted - k), 0, out, k, wanted - k);
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
