package io.federa.ml.hetero;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import java.util.ArrayList;
import java.util.List;

/**
 * FATE's {@code exposure_colname} of hetero Poisson: a guest column of positive exposures (time at
 * risk, policy years, …). It is not a feature: the model's mean is {@code exposure·exp(z)}, that is
 * {@code log(exposure)} added to the linear predictor with a fixed coefficient of 1 (an offset), in
 * training and in prediction.
 *
 * @param features the rows without the exposure column
 * @param offset {@code log(exposure)} of each row
 */
public record Exposure(Table features, double[] offset) {
  /** Splits column {@code column} off {@code rows}: every value must be a finite number above 0. */
  public static Exposure of(Table rows, String column) {
    int at = rows.schema().featureNames().indexOf(column);
    if (at < 0) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "exposure_colname '"
              + column
              + "' is not a column of the guest's data (columns: "
              + rows.schema().featureNames()
              + "); name one of them, or remove exposure_colname");
    }
    double[] exposure = rows.column(at);
    double[] offset = new double[exposure.length];
    for (int i = 0; i < offset.length; i++) {
      if (!(exposure[i] > 0) || Double.isInfinite(exposure[i])) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            "row "
                + i
                + " (from 0) of the guest's data has a missing, zero or negative value in its"
                + " exposure column '"
                + column
                + "'; an exposure must be a number above 0: fill or drop the row");
      }
      offset[i] = Math.log(exposure[i]);
    }
    List<Integer> others = new ArrayList<>();
    for (int j = 0; j < rows.features(); j++) {
      if (j != at) {
        others.add(j);
      }
    }
    return new Exposure(Tables.columns(rows, others, true), offset);
  }
}
