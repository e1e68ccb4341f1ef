package io.federa.crypto.he;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys shared by the tests. 1024-bit keys are made with {@link HeParameters#insecureForTesting}
 * because key generation and every operation are 5–8× faster than at 2048 bits, which keeps the
 * many seeded property cases quick; each behavioural test also runs at 2048 bits, the real path.
 */
final class TestKeys {
  private static final Map<String, HeKeyPair> KEYS = new ConcurrentHashMap<>();

  private TestKeys() {}

  /** A key of the default variant. */
  static HeKeyPair of(int bits) {
    return of(bits, HeParameters.DEFAULT_VARIANT);
  }

  /** An Okamoto–Uchiyama key. */
  static HeKeyPair ou(int bits) {
    return KEYS.computeIfAbsent(
        bits + "/ou",
        k ->
            HeKeyPair.generate(
                (bits >= HeParameters.MIN_SECURE_BITS
                        ? HeParameters.of(bits)
                        : HeParameters.insecureForTesting(bits))
                    .withScheme(HeScheme.OU),
                new SecureRandom()));
  }

  static HeKeyPair of(int bits, HeParameters.Variant variant) {
    return KEYS.computeIfAbsent(
        bits + "/" + variant,
        k ->
            HeKeyPair.generate(
                (bits >= HeParameters.MIN_SECURE_BITS
                        ? HeParameters.of(bits)
                        : HeParameters.insecureForTesting(bits))
                    .withVariant(variant),
                new SecureRandom()));
  }
}
