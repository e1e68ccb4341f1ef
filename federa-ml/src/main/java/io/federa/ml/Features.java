package io.federa.ml;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import java.util.List;

/** Checks that a table offers the features a model was trained on, and returns its columns. */
public final class Features {
  private Features() {}

  public static double[][] columnsFor(Table table, List<String> trainedOn) {
    List<String> actual = table.schema().featureNames();
    if (!actual.equals(trainedOn)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "the model was trained on features "
              + trainedOn
              + " but the table has "
              + actual
              + "; predict on a table with the same columns in the same order");
    }
    double[][] columns = new double[actual.size()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = table.column(j);
    }
    return columns;
  }

  /** Checks labels are class indices {@code 0..k-1} and returns k (at least 2). */
  public static int classCount(double[] labels) {
    int max = 0;
    for (int i = 0; i < labels.length; i++) {
      double y = labels[i];
      if (y != Math.rint(y) || y < 0) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "row "
                + (i + 1)
                + " has label "
                + y
                + "; a classifier needs class labels 0, 1, 2, … (use a regression model for"
                + " continuous targets)");
      }
      max = Math.max(max, (int) y);
    }
    return Math.max(2, max + 1);
  }
}
