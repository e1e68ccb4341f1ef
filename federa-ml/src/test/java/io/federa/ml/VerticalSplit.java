package io.federa.ml;

import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;

/**
 * A shipped vertical data set as the parties hold it after PSI: the guest's and the host's rows
 * aligned (the guest's order, ids both hold), and their join (the centralized baseline's table).
 */
public record VerticalSplit(Table guest, Table host, Table joined) {
  public static VerticalSplit of(String name) {
    return of(
        ShippedData.dir().resolve(name + "_hetero_guest.csv"),
        ShippedData.dir().resolve(name + "_hetero_host.csv"));
  }

  /** As {@link #of(String)} for any guest file (id, y, features) and host file (id, features). */
  public static VerticalSplit of(java.nio.file.Path guestFile, java.nio.file.Path hostFile) {
    Table guestAll = CsvTableReader.read(guestFile, CsvOptions.labeled());
    Table hostAll = CsvTableReader.read(hostFile, CsvOptions.unlabeled());
    Table joined = Tables.innerJoin(guestAll, hostAll, "host_");
    Table host = hostAll.selectRows(rowsOf(hostAll, joined));
    // the host's columns under the joined table's names (host_x0 where the guest has an x0), so
    // that what is keyed by name (feature subsampling) is the same in both runs
    int g = guestAll.features();
    var names = joined.schema().featureNames().subList(g, joined.features());
    double[][] cols = new double[host.features()][];
    for (int j = 0; j < cols.length; j++) {
      cols[j] = host.column(j);
    }
    host =
        new Table(
            new io.federa.core.table.Schema(host.schema().idName(), null, names),
            host.ids(),
            null,
            cols);
    return new VerticalSplit(guestAll.selectRows(rowsOf(guestAll, joined)), host, joined);
  }

  /** Features {@code from} to {@code to} (exclusive) of an unlabeled table: a host's share. */
  public static Table columns(Table t, int from, int to) {
    double[][] cols = new double[to - from][];
    for (int j = from; j < to; j++) {
      cols[j - from] = t.column(j);
    }
    var schema =
        new io.federa.core.table.Schema(
            t.schema().idName(), null, t.schema().featureNames().subList(from, to));
    return new Table(schema, t.ids(), null, cols);
  }

  private static int[] rowsOf(Table all, Table joined) {
    var index = all.indexById();
    int[] rows = new int[joined.rows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = index.get(joined.id(i));
    }
    return rows;
  }
}
