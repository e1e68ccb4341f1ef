package io.federa.crypto.paillier;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Encryption randomness computed ahead: the costly part of a Paillier encryption is its noise
 * {@code h_s^α} (or {@code r^n}), which does not depend on the plaintext. A party that knows it
 * will encrypt many values soon (SecureBoost's guest, the next tree's rows) fills a reserve while
 * it would otherwise wait for other parties; an encryption that finds noise in the reserve then
 * costs one multiplication. Each noise is used once and removed; an empty reserve falls back to
 * fresh noise.
 */
public final class NoiseReserve {
  private final PaillierPublicKey key;
  private final ConcurrentLinkedQueue<int[]> noise = new ConcurrentLinkedQueue<>();

  public NoiseReserve(PaillierPublicKey key) {
    this.key = key;
  }

  public PaillierPublicKey key() {
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
      noise.add(key.randomNoise());
    }
  }

  /**
   * A raw encryption of {@code plaintext} ({@link PaillierPublicKey#encryptRaw}) with reserved
   * noise.
   */
  Ciphertext encryptRaw(java.math.BigInteger plaintext) {
    int[] n = noise.poll();
    if (n == null) {
      return key.encryptRaw(plaintext);
    }
    if (plaintext.signum() < 0 || plaintext.compareTo(key.modulus()) >= 0) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "a raw Paillier plaintext must lie in [0, n)");
    }
    return new Ciphertext(key, key.withNoise(plaintext, n), 0, Ciphertext.RAW);
  }
}
