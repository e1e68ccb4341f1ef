package io.federa.ml.secureboost;

import io.federa.ml.tree.GbdtParams;
import java.util.List;

/**
 * The guest's part of a SecureBoost model: the loss, the initial score, its own feature names and
 * every tree (leaf values and its own splits; hosts' splits by party only).
 */
public record SecureBoostGuestModel(
    GbdtParams.Loss loss,
    double initialScore,
    List<String> featureNames,
    List<FederatedTree> trees) {
  public SecureBoostGuestModel {
    featureNames = List.copyOf(featureNames);
    trees = List.copyOf(trees);
  }
}
