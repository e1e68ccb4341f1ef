package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.paillier.PaillierKeyPair;
import io.federa.crypto.paillier.PaillierParameters;
import io.federa.ml.tree.GbdtParams;
import java.time.Duration;

/**
 * Hyper-parameters of hetero SecureBoost: the boosting itself is exactly the centralized GBDT's
 * ({@link GbdtParams}: loss, trees, depth, learning rate, bins, λ, least child weight and leaf
 * size), so the same values give the same trees; the rest is the protocol's.
 *
 * @param boosting what is boosted and how (the centralized GBDT's parameters)
 * @param keyBits the guest's Paillier modulus size (2048 by default)
 * @param testKeys allow keys under 2048 bits (tests only)
 * @param timeout how long a party waits for another party's message
 */
public record SecureBoostParams(
    GbdtParams boosting, int keyBits, boolean testKeys, Duration timeout) {

  public SecureBoostParams {
    if (boosting == null || timeout == null) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "boosting and timeout are required");
    }
  }

  /** FATE's defaults for {@code loss}: 10 trees of depth 3, 32 bins; a 2048-bit key. */
  public static SecureBoostParams defaults(GbdtParams.Loss loss) {
    return new SecureBoostParams(
        GbdtParams.defaults(loss),
        PaillierParameters.MIN_SECURE_BITS,
        false,
        Duration.ofMinutes(10));
  }

  public SecureBoostParams withBoosting(GbdtParams b) {
    return new SecureBoostParams(b, keyBits, testKeys, timeout);
  }

  /** A smaller key for unit tests (never in a job: flow refuses keys under 2048 bits). */
  public SecureBoostParams withTestKey(int bits) {
    return new SecureBoostParams(boosting, bits, true, timeout);
  }

  PaillierKeyPair keyPair() {
    return PaillierKeyPair.generate(
        testKeys ? PaillierParameters.insecureForTesting(keyBits) : PaillierParameters.of(keyBits));
  }
}
