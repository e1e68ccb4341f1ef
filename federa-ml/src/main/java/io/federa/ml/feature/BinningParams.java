package io.federa.ml.feature;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.crypto.he.HeParameters;
import java.time.Duration;

/**
 * Hyper-parameters of hetero feature binning (FATE's {@code FeatureBinningParam}).
 *
 * @param method {@code quantile} (default), {@code bucket}, or {@code optimal} (chi-square merge of
 *     {@code initBins} quantile bins down to {@code binNum})
 * @param binNum most bins per feature (missing values' bin aside): 10 by default
 * @param adjustment added to a bin's counts when it has no event or no non-event (0.5)
 * @param initBins the optimal method's fine quantile bins before merging
 * @param minBinPct the optimal method merges a bin holding less than this fraction of the rows
 * @param key the guest's key for its labels (Paillier or OU, 2048 bits by default)
 * @param timeout how long a party waits for another's message
 */
public record BinningParams(
    String method,
    int binNum,
    double adjustment,
    int initBins,
    double minBinPct,
    HeParameters key,
    Duration timeout) {

  public BinningParams {
    if (!method.equals("quantile") && !method.equals("bucket") && !method.equals("optimal")) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "binning method '" + method + "' is not one of quantile, bucket, optimal");
    }
    if (binNum < 2 || binNum >= BinEdges.MAX_BINS) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "bin_num must be between 2 and " + (BinEdges.MAX_BINS - 1) + ", got " + binNum);
    }
    if (method.equals("optimal") && (initBins < binNum || initBins >= BinEdges.MAX_BINS)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "init_bin_nums must be between bin_num ("
              + binNum
              + ") and "
              + (BinEdges.MAX_BINS - 1)
              + ", got "
              + initBins);
    }
    if (!(adjustment >= 0) || !(minBinPct >= 0 && minBinPct < 1)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "adjustment_factor must be ≥ 0 and min_bin_pct in [0, 1), got "
              + adjustment
              + " and "
              + minBinPct);
    }
  }

  /**
   * FATE's defaults: 10 quantile bins, adjustment 0.5, the optimal method from 1,000 initial bins;
   * a 2048-bit Paillier key.
   */
  public static BinningParams defaults() {
    return new BinningParams(
        "quantile",
        10,
        WoeIv.ADJUSTMENT,
        1000,
        0.05,
        HeParameters.defaults(),
        Duration.ofMinutes(10));
  }

  public BinningParams withMethod(String m, int bins) {
    return new BinningParams(m, bins, adjustment, initBins, minBinPct, key, timeout);
  }

  public BinningParams withKey(HeParameters k) {
    return new BinningParams(method, binNum, adjustment, initBins, minBinPct, k, timeout);
  }

  /** The edges a party fits on its own rows first: the optimal method's fine bins, else final. */
  BinEdges firstEdges(io.federa.core.table.Table table, io.federa.core.compute.ComputingEngine e) {
    return method.equals("optimal")
        ? BinEdges.fit(table, "quantile", initBins, e)
        : BinEdges.fit(table, method, binNum, e);
  }
}
