package io.federa.ml.tree;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which features a tree may split on (FATE's {@code subsample_feature_rate}, XGBoost's {@code
 * colsample_bytree}): each feature is kept with probability {@code rate}, decided by a hash of the
 * seed, the tree and the feature's name. The decision needs nobody else's features, so each party
 * of SecureBoost draws for its own columns alone, and the centralized GBDT — drawing for all the
 * columns — keeps exactly the same ones.
 */
public final class FeatureSampling {
  private FeatureSampling() {}

  /** The features tree {@code tree} may use, or null for all of them ({@code rate} 1). */
  public static boolean[] mask(List<String> names, double rate, long seed, int tree) {
    if (rate >= 1) {
      return null;
    }
    boolean[] keep = new boolean[names.size()];
    for (int f = 0; f < keep.length; f++) {
      long h = mix(seed * 0x9E3779B97F4A7C15L + tree * 0xC2B2AE3D27D4EB4FL + fnv(names.get(f)));
      keep[f] = (h >>> 11) * 0x1.0p-53 < rate;
    }
    return keep;
  }

  /** Whether feature {@code f} may be used under {@code mask} (null: every feature). */
  public static boolean usable(boolean[] mask, int f) {
    return mask == null || mask[f];
  }

  private static long fnv(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: every input bit moves every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
