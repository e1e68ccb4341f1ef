package io.federa.core.table;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** Operations across tables: joining on id and splitting rows. */
public final class Tables {
  private Tables() {}

  /**
   * Inner join on id, in the left table's row order. The result keeps the left table's label; a
   * right feature whose name is already taken is renamed with the prefix {@code rightPrefix}.
   */
  public static Table innerJoin(Table left, Table right, String rightPrefix) {
    Map<String, Integer> rightIndex = right.indexById();
    int[] leftRows = new int[left.rows()];
    int[] rightRows = new int[left.rows()];
    int n = 0;
    for (int i = 0; i < left.rows(); i++) {
      Integer r = rightIndex.get(left.id(i));
      if (r != null) {
        leftRows[n] = i;
        rightRows[n] = r;
        n++;
      }
    }
    leftRows = Arrays.copyOf(leftRows, n);
    rightRows = Arrays.copyOf(rightRows, n);
    Table l = left.selectRows(leftRows);
    Table r = right.selectRows(rightRows);

    var names = new ArrayList<>(l.schema().featureNames());
    var taken = new HashSet<>(names);
    taken.add(l.schema().idName());
    if (l.hasLabel()) {
      taken.add(l.schema().labelName());
    }
    for (String name : r.schema().featureNames()) {
      String candidate = name;
      while (!taken.add(candidate)) {
        candidate = rightPrefix + candidate;
      }
      names.add(candidate);
    }
    double[][] columns = new double[names.size()][];
    for (int j = 0; j < l.features(); j++) {
      columns[j] = l.column(j);
    }
    for (int j = 0; j < r.features(); j++) {
      columns[l.features() + j] = r.column(j);
    }
    Schema schema = new Schema(l.schema().idName(), l.schema().labelName(), names);
    return new Table(schema, l.ids(), l.hasLabel() ? l.labels() : null, columns);
  }

  /** Rows whose index satisfies {@code keep}, in order. */
  public static Table filterRows(Table table, IntPredicate keep) {
    int[] rows = new int[table.rows()];
    int n = 0;
    for (int i = 0; i < table.rows(); i++) {
      if (keep.test(i)) {
        rows[n++] = i;
      }
    }
    return table.selectRows(Arrays.copyOf(rows, n));
  }

  /**
   * Splits rows into train and held-out by id, as the shipped baselines do: a row whose numeric id
   * is a multiple of {@code mod} is held out.
   *
   * @return a list of two tables, train then held-out
   */
  public static List<Table> splitByIdModulo(Table table, int mod) {
    if (mod < 2) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "holdout modulus must be at least 2, got " + mod);
    }
    boolean[] heldOut = new boolean[table.rows()];
    for (int i = 0; i < table.rows(); i++) {
      String id = table.id(i);
      long value;
      try {
        value = Long.parseLong(id.trim());
      } catch (NumberFormatException e) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "hold-out by id modulo needs numeric ids, but row "
                + (i + 1)
                + " has id '"
                + id
                + "'; drop the hold-out option or use numeric ids");
      }
      heldOut[i] = Math.floorMod(value, mod) == 0;
    }
    return List.of(filterRows(table, i -> !heldOut[i]), filterRows(table, i -> heldOut[i]));
  }

  /**
   * The feature columns {@code columns} of {@code table} (by index, in that order), with its label
   * when {@code withLabel} and it has one; the arrays are shared.
   */
  public static Table columns(Table table, List<Integer> columns, boolean withLabel) {
    List<String> names = new java.util.ArrayList<>();
    double[][] data = new double[columns.size()][];
    for (int k = 0; k < data.length; k++) {
      names.add(table.schema().featureNames().get(columns.get(k)));
      data[k] = table.column(columns.get(k));
    }
    boolean label = withLabel && table.hasLabel();
    return new Table(
        new Schema(table.schema().idName(), label ? table.schema().labelName() : null, names),
        table.ids(),
        label ? table.labels() : null,
        data);
  }

  /** Feature columns {@code from} to {@code to} (exclusive), as {@link #columns}. */
  public static Table columns(Table table, int from, int to, boolean withLabel) {
    List<Integer> range = new java.util.ArrayList<>();
    for (int k = from; k < to; k++) {
      range.add(k);
    }
    return columns(table, range, withLabel);
  }
}
