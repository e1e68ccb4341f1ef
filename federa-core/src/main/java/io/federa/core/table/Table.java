package io.federa.core.table;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A column-oriented, immutable in-memory table: text ids (FATE allows any id string), an optional
 * numeric label and dense {@code double} features, one primitive array per column so that no cell
 * is boxed.
 *
 * <p>The arrays returned by {@link #column(int)} and {@link #labels()} are the table's own storage,
 * shared for speed: callers read them and never write them.
 */
public final class Table {
  private final Schema schema;
  private final String[] ids;
  private final double[] labels;
  private final double[][] columns;

  /**
   * Wraps arrays without copying them; the caller hands them over and keeps no reference.
   *
   * @param labels the label column, or {@code null} when the schema has no label
   * @param columns one array per feature, each as long as {@code ids}
   */
  public Table(Schema schema, String[] ids, double[] labels, double[][] columns) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.labels = labels;
    this.columns = Objects.requireNonNull(columns, "columns");
    if (schema.hasLabel() != (labels != null)) {
      throw new FederaException(
          ErrorCode.INTERNAL, "schema label " + schema.labelName() + " does not match label data");
    }
    if (labels != null && labels.length != ids.length) {
      throw new FederaException(ErrorCode.INTERNAL, "label column length differs from id count");
    }
    if (columns.length != schema.features()) {
      throw new FederaException(
          ErrorCode.INTERNAL,
          "schema has " + schema.features() + " features but " + columns.length + " columns given");
    }
    for (int j = 0; j < columns.length; j++) {
      if (columns[j].length != ids.length) {
        throw new FederaException(
            ErrorCode.INTERNAL, "column " + schema.featureNames().get(j) + " has the wrong length");
      }
    }
  }

  public Schema schema() {
    return schema;
  }

  public int rows() {
    return ids.length;
  }

  public int features() {
    return columns.length;
  }

  public boolean hasLabel() {
    return labels != null;
  }

  public String id(int row) {
    return ids[row];
  }

  public double label(int row) {
    return requireLabels()[row];
  }

  public double value(int row, int feature) {
    return columns[feature][row];
  }

  /** The feature column's storage (shared, read only). */
  public double[] column(int feature) {
    return columns[feature];
  }

  /** The label column's storage (shared, read only). */
  public double[] labels() {
    return requireLabels();
  }

  /** Copies one row's features into {@code into} (length {@link #features()}) and returns it. */
  public double[] row(int row, double[] into) {
    for (int j = 0; j < columns.length; j++) {
      into[j] = columns[j][row];
    }
    return into;
  }

  /** Row index of every id. */
  public Map<String, Integer> indexById() {
    var index = new HashMap<String, Integer>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      index.put(ids[i], i);
    }
    return index;
  }

  /** A new table holding the given rows, in the given order. */
  public Table selectRows(int[] rows) {
    String[] newIds = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      newIds[i] = ids[rows[i]];
    }
    double[] newLabels = labels == null ? null : gather(labels, rows);
    double[][] newColumns = new double[columns.length][];
    for (int j = 0; j < columns.length; j++) {
      newColumns[j] = gather(columns[j], rows);
    }
    return new Table(schema, newIds, newLabels, newColumns);
  }

  /** The features as a row-major matrix {@code [rows][features]}; copies. */
  public double[][] toRowMajor() {
    double[][] out = new double[ids.length][columns.length];
    for (int j = 0; j < columns.length; j++) {
      double[] col = columns[j];
      for (int i = 0; i < col.length; i++) {
        out[i][j] = col[i];
      }
    }
    return out;
  }

  private static double[] gather(double[] source, int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = source[rows[i]];
    }
    return out;
  }

  private double[] requireLabels() {
    if (labels == null) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "this table has no label column; read it with the label column named (FATE: with_label)");
    }
    return labels;
  }

  @Override
  public String toString() {
    return "Table[rows=" + ids.length + ", schema=" + schema + "]";
  }

  /** Ids in row order (a copy). */
  public String[] ids() {
    return Arrays.copyOf(ids, ids.length);
  }
}
