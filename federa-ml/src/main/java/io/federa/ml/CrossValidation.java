package io.federa.ml;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * K-fold cross-validation over aligned rows (FATE's {@code cv_param}: {@code n_splits}, {@code
 * shuffle}, {@code random_seed}). A row's fold depends only on the number of rows, the seed and its
 * position, so every party — holding the intersection's rows in the same order — draws the same
 * folds without a message.
 */
public record CrossValidation(int folds, boolean shuffle, long seed) {
  public CrossValidation {
    if (folds < 2) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "cross-validation needs n_splits ≥ 2, got " + folds);
    }
  }

  /** The fold of each of {@code rows} rows: position mod K, after a seeded shuffle if asked. */
  public int[] assign(int rows) {
    if (rows < folds) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          rows + " rows cannot be split into " + folds + " folds; lower n_splits");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      order.add(i);
    }
    if (shuffle) {
      Collections.shuffle(order, new Random(seed));
    }
    int[] fold = new int[rows];
    for (int k = 0; k < rows; k++) {
      fold[order.get(k)] = k % folds;
    }
    return fold;
  }

  /** The rows of fold {@code k} ({@code in} true) or of every other fold. */
  public static int[] rows(int[] fold, int k, boolean in) {
    int n = 0;
    for (int f : fold) {
      n += (f == k) == in ? 1 : 0;
    }
    int[] out = new int[n];
    int at = 0;
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == k) == in) {
        out[at++] = i;
      }
    }
    return out;
  }
}
