package io.federa.ml.secureboost;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.he.HeKeyPair;
import io.federa.crypto.he.HeKeyPool;
import io.federa.crypto.he.HeParameters;
import io.federa.ml.tree.GbdtParams;
import java.time.Duration;

/**
 * Hyper-parameters of hetero SecureBoost: the boosting itself is exactly the centralized GBDT's
 * ({@link GbdtParams}: loss, trees, depth, learning rate, bins, λ, least child weight and leaf
 * size), so the same values give the same trees; the rest is the protocol's.
 *
 * @param boosting what is boosted and how (the centralized GBDT's parameters)
 * @param key the guest's key: scheme (Paillier by default, or OU) and size (2048 bits by default)
 * @param timeout how long a party waits for another party's message
 * @param earlyStopping validation during training ({@link EarlyStopping#NONE} by default)
 */
public record SecureBoostParams(
    GbdtParams boosting, HeParameters key, Duration timeout, EarlyStopping earlyStopping) {

  public SecureBoostParams {
    if (boosting == null || key == null || timeout == null || earlyStopping == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "boosting, key, timeout and early stopping are required");
    }
  }

  /** FATE's defaults for {@code loss}: 10 trees of depth 3, 32 bins; a 2048-bit key. */
  public static SecureBoostParams defaults(GbdtParams.Loss loss) {
    return new SecureBoostParams(
        GbdtParams.defaults(loss),
        HeParameters.defaults(),
        Duration.ofMinutes(10),
        EarlyStopping.NONE);
  }

  public SecureBoostParams withBoosting(GbdtParams b) {
    return new SecureBoostParams(b, key, timeout, earlyStopping);
  }

  public SecureBoostParams withKey(HeParameters k) {
    return new SecureBoostParams(boosting, k, timeout, earlyStopping);
  }

  public SecureBoostParams withEarlyStopping(EarlyStopping e) {
    return new SecureBoostParams(boosting, key, timeout, e);
  }

  HeKeyPair keyPair() {
    return HeKeyPool.shared().take(key);
  }
}
