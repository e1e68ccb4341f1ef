package io.federa.cli.demo;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import java.nio.file.Path;
import java.util.List;

/**
 * A guest file (with the label) joined on id with host files, as the centralized baselines use it.
 */
public final class JoinedData {
  private JoinedData() {}

  public static Table read(Path guest, List<Path> hosts, String idColumn, String label) {
    Table data =
        CsvTableReader.read(
            guest, CsvOptions.labeled().withIdColumn(idColumn).withLabelColumn(label));
    CsvOptions hostOptions = CsvOptions.unlabeled().withIdColumn(idColumn);
    int h = 0;
    for (Path host : hosts) {
      h++;
      data = Tables.innerJoin(data, CsvTableReader.read(host, hostOptions), "host" + h + "_");
    }
    if (data.rows() == 0) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          "guest and host files share no id; check both use the same id column and id values");
    }
    return data;
  }
}
