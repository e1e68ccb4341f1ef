package io.federa.core.csv;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Objects;

/**
 * How to read a CSV file as a table, in FATE's terms: the id column, whether the file has a label
 * ({@code with_label}) and its name ({@code label_name}), the delimiter, and whether a feature cell
 * may be missing ({@code missingValues}: an empty cell, {@code NA}, {@code NaN}, {@code null} or
 * {@code None} is read as a missing value, NaN, as FATE's DataTransform does; ids and labels are
 * never missing). Off, a missing cell is an error that says so.
 */
public record CsvOptions(
    String idColumn, boolean withLabel, String labelColumn, char delimiter, boolean missingValues) {
  public static final String DEFAULT_ID = "id";
  public static final String DEFAULT_LABEL = "y";

  public CsvOptions {
    Objects.requireNonNull(idColumn, "idColumn");
    Objects.requireNonNull(labelColumn, "labelColumn");
    if (idColumn.isBlank()) {
      throw new FederaException(ErrorCode.INVALID_ARGUMENT, "the id column name is empty");
    }
    if (withLabel && labelColumn.equals(idColumn)) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "id column and label column are both '" + idColumn + "'; name two different columns");
    }
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "'" + delimiter + "' cannot be a CSV delimiter");
    }
  }

  /** No missing values allowed. */
  public CsvOptions(String idColumn, boolean withLabel, String labelColumn, char delimiter) {
    this(idColumn, withLabel, labelColumn, delimiter, false);
  }

  /** Id column {@code id}, label column {@code y}, comma-separated. */
  public static CsvOptions labeled() {
    return new CsvOptions(DEFAULT_ID, true, DEFAULT_LABEL, ',');
  }

  /** Id column {@code id}, no label, comma-separated (a host's features). */
  public static CsvOptions unlabeled() {
    return new CsvOptions(DEFAULT_ID, false, DEFAULT_LABEL, ',');
  }

  public CsvOptions withIdColumn(String name) {
    return new CsvOptions(name, withLabel, labelColumn, delimiter, missingValues);
  }

  public CsvOptions withLabelColumn(String name) {
    return new CsvOptions(idColumn, true, name, delimiter, missingValues);
  }

  public CsvOptions withoutLabel() {
    return new CsvOptions(idColumn, false, labelColumn, delimiter, missingValues);
  }

  /** FATE's missing-value tokens: an empty cell, NA, NaN, null, None (any case). */
  public static boolean isMissing(String cell) {
    String text = cell.trim();
    return text.isEmpty()
        || text.equalsIgnoreCase("na")
        || text.equalsIgnoreCase("nan")
        || text.equalsIgnoreCase("null")
        || text.equalsIgnoreCase("none");
  }

  /** The same options, with missing feature values read as NaN (or refused). */
  public CsvOptions withMissingValues(boolean allowed) {
    return new CsvOptions(idColumn, withLabel, labelColumn, delimiter, allowed);
  }
}
