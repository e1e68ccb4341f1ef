package io.federa.crypto.paillier;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys shared by the tests. 1024-bit keys are made with {@link
 * PaillierParameters#insecureForTesting} because key generation and every operation are 5–8× faster
 * than at 2048 bits, which keeps the many seeded property cases quick; each behavioural test also
 * runs at 2048 bits, the real path.
 */
final class TestKeys {
  private static final Map<String, PaillierKeyPair> KEYS = new ConcurrentHashMap<>();

  private TestKeys() {}

  /** A key of the default variant. */
  static PaillierKeyPair of(int bits) {
    return of(bits, PaillierParameters.DEFAULT_VARIANT);
  }

  static PaillierKeyPair of(int bits, PaillierParameters.Variant variant) {
    return KEYS.computeIfAbsent(
        bits + "/" + variant,
        k ->
            PaillierKeyPair.generate(
                (bits >= PaillierParameters.MIN_SECURE_BITS
                        ? PaillierParameters.of(bits)
                        : PaillierParameters.insecureForTesting(bits))
                    .withVariant(variant),
                new SecureRandom()));
  }
}
