package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.flow.dsl.PrepParams;
import io.federa.ml.feature.RowDraw;
import io.federa.ml.feature.RowPartsGuest;
import io.federa.ml.feature.RowPartsHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * HeteroDataSplit, FederatedSample and Union: which rows go on. The guest draws splits and samples
 * (it holds the labels a stratified draw needs) and tells the hosts the rows ({@link
 * RowPartsGuest}), so every party keeps the same people in each part; Union joins a party's own
 * tables, no message sent.
 */
final class PrepComponents {
  private PrepComponents() {}

  static final List<String> PARTS = List.of("train_data", "validate_data", "test_data");

  /** Train, validate and test rows as named outputs (the data output is the train rows). */
  static Outputs dataSplit(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    PrepParams.Split p = PrepParams.split(c.reader());
    int[][] parts =
        draw(
            c,
            in,
            p.stratified(),
            labels ->
                RowDraw.split(
                    labels,
                    in.rows(),
                    p.sizes(),
                    p.stratified(),
                    p.splitPoints(),
                    p.shuffle(),
                    p.seed()));
    Map<String, Table> named = new LinkedHashMap<>();
    for (int k = 0; k < PARTS.size(); k++) {
      named.put(PARTS.get(k), in.selectRows(parts[k]));
      c.tracker().metric(PARTS.get(k).replace("_data", "_rows"), 0, parts[k].length);
    }
    c.tracker()
        .log(
            "split "
                + in.rows()
                + " rows: "
                + parts[0].length
                + " train, "
                + parts[1].length
                + " validate, "
                + parts[2].length
                + " test");
    return new Outputs(named.get("train_data"), null, named);
  }

  /**
   * A random or stratified sample of the rows (upsample: with replacement; a row drawn again is a
   * copy whose id gets {@code _1}, {@code _2}, … at every party alike).
   */
  static Outputs sample(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    Table in = c.inputDataWithMissing("data");
    PrepParams.Sample p = PrepParams.sample(c.reader());
    int[] rows =
        draw(
            c,
            in,
            p.byLabel() != null,
            labels ->
                new int[][] {
                  RowDraw.sample(
                      labels, in.rows(), p.fraction(), p.byLabel(), p.replace(), p.seed())
                })[0];
    Table out = in.selectRows(rows);
    String[] ids = out.ids();
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      int k = seen.merge(ids[i], 1, Integer::sum) - 1;
      if (k > 0) {
        ids[i] = ids[i] + "_" + k;
      }
    }
    c.tracker().metric("sample_rows", 0, rows.length);
    return Outputs.data(out);
  }

  /** The guest's draw over its labels, sent to the hosts; a host's parts as the guest sent them. */
  private static int[][] draw(
      ComponentContext c,
      Table in,
      boolean needsLabels,
      java.util.function.Function<double[], int[][]> drawer) {
    if (c.isHost()) {
      return new RowPartsHost(c.federation(), c.key(), c.guest(), c.timeout()).receive(in.rows());
    }
    if (needsLabels && !in.hasLabel()) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              c.component() + ": a stratified draw needs the guest's labels; give it labeled data")
          .shareable();
    }
    int[][] parts = drawer.apply(in.hasLabel() ? in.labels() : null);
    new RowPartsGuest(c.federation(), c.key(), c.hosts()).send(in.rows(), parts);
    return parts;
  }

  /**
   * The rows of every input table ({@code data: [a, b, …]}) one after the other: the same columns
   * (or, with {@code allow_missing}, their union, absent cells missing); an id seen before is left
   * out unless {@code keep_duplicate} (then it gets the table's index as a suffix).
   */
  static Outputs union(ComponentContext c) {
    if (c.isArbiter()) {
      return Outputs.NONE;
    }
    boolean allowMissing = c.reader().bool("allow_missing", false);
    boolean keepDuplicate = c.reader().bool("keep_duplicate", false);
    c.reader().accept("need_run");
    List<Table> tables = new ArrayList<>();
    for (int i = 0; c.hasInputData(i == 0 ? "data" : "data_" + i); i++) {
      tables.add(c.inputDataWithMissing(i == 0 ? "data" : "data_" + i));
    }
    LinkedHashSet<String> columns = new LinkedHashSet<>(tables.get(0).schema().featureNames());
    boolean labeled = true;
    for (Table t : tables) {
      labeled &= t.hasLabel();
      if (!allowMissing
          && !t.schema().featureNames().equals(tables.get(0).schema().featureNames())) {
        throw new FederaException(
                ErrorCode.INVALID_ARGUMENT,
                c.component()
                    + ": its tables have different columns; set allow_missing true to"
                    + " take their union (absent cells missing)")
            .shareable();
      }
      columns.addAll(t.schema().featureNames());
    }
    List<String> names = new ArrayList<>(columns);
    List<String> ids = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int k = 0; k < tables.size(); k++) {
      Table t = tables.get(k);
      for (int i = 0; i < t.rows(); i++) {
        String id = t.id(i);
        if (!seen.add(id)) {
          if (!keepDuplicate) {
            continue;
          }
          id = id + "_" + k;
        }
        double[] row = new double[names.size()];
        for (int f = 0; f < row.length; f++) {
          int j = t.schema().indexOf(names.get(f));
          row[f] = j < 0 ? Double.NaN : t.value(i, j);
        }
        ids.add(id);
        rows.add(row);
        labels.add(labeled ? t.label(i) : 0);
      }
    }
    double[][] cols = new double[names.size()][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int f = 0; f < names.size(); f++) {
        cols[f][i] = rows.get(i)[f];
      }
    }
    Schema s =
        new Schema(
            tables.get(0).schema().idName(),
            labeled ? tables.get(0).schema().labelName() : null,
            names);
    c.tracker().metric("union_rows", 0, ids.size());
    return Outputs.data(
        new Table(
            s,
            ids.toArray(new String[0]),
            labeled ? labels.stream().mapToDouble(Double::doubleValue).toArray() : null,
            cols));
  }
}
