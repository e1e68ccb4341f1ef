package io.federa.ml;

import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import java.nio.file.Files;
import java.nio.file.Path;

/** The data sets shipped in {@code examples/data}, joined as the centralized baselines use them. */
public final class ShippedData {
  private ShippedData() {}

  public static Path dir() {
    String configured = System.getProperty("federa.data.dir");
    Path dir = configured != null ? Path.of(configured) : Path.of("../examples/data");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "shipped data not found at " + dir.toAbsolutePath() + "; run the tests from the project");
    }
    return dir;
  }

  /** {@code name}_hetero_guest ⋈ {@code name}_hetero_host on id. */
  public static Table heteroJoined(String name) {
    Table guest =
        CsvTableReader.read(dir().resolve(name + "_hetero_guest.csv"), CsvOptions.labeled());
    Table host =
        CsvTableReader.read(dir().resolve(name + "_hetero_host.csv"), CsvOptions.unlabeled());
    return Tables.innerJoin(guest, host, "host_");
  }
}
