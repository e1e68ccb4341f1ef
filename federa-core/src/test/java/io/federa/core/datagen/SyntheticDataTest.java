package io.federa.core.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDataTest {
  @TempDir Path dir;

  @Test
  void vertical_writesTheAnnouncedOverlapAndShapes() {
    var r = SyntheticData.vertical(dir, 1000, 4, 6, 0.7, 11, null);
    Table guest = CsvTableReader.read(r.guestFile(), CsvOptions.labeled());
    Table host = CsvTableReader.read(r.hostFile(), CsvOptions.unlabeled());
    assertEquals(1000, guest.rows());
    assertEquals(1000, host.rows());
    assertEquals(4, guest.features());
    assertEquals(6, host.features());
    assertEquals(700, r.intersection());
    assertEquals(700, Tables.innerJoin(guest, host, "h_").rows());
  }

  /**
   * Each shape shows in the files: the positive rate it aims at, correlated neighbours, zero cells,
   * host columns that are the mean of two others, and columns in their own units.
   */
  @Test
  void vertical_shapesTheFeaturesAsAsked() {
    var r =
        SyntheticData.vertical(dir, 4000, 5, 5, 1.0, new Shape(0.9, 0.2, 2, true, 0.05), 3, null);
    Table g = CsvTableReader.read(r.guestFile(), CsvOptions.labeled());
    Table h = CsvTableReader.read(r.hostFile(), CsvOptions.unlabeled());
    Table joined = Tables.innerJoin(g, h, "h_");
    double ones = 0;
    for (double y : joined.labels()) {
      ones += y;
    }
    assertEquals(0.05, ones / joined.rows(), 0.015, "positive rate");
    double[] spread = new double[joined.features()];
    double zeros = 0;
    for (int j = 0; j < spread.length; j++) {
      double[] c = joined.column(j);
      double[] m = moments(c);
      spread[j] = Math.sqrt(m[1]);
    }
    double min = java.util.Arrays.stream(spread).min().orElseThrow();
    double max = java.util.Arrays.stream(spread).max().orElseThrow();
    assertTrue(max / min > 100, "columns in their own units: std from " + min + " to " + max);
    // the latent rows: correlation, zero cells, collinear host columns
    Shape shape = new Shape(0.9, 0.2, 2, false, Double.NaN);
    double[][] rows = new double[4000][10];
    for (int i = 0; i < rows.length; i++) {
      shape.latent(3, i, rows[i]);
    }
    double cells = 0;
    for (double[] x : rows) {
      for (int j = 0; j < 8; j++) { // the collinear columns are means, not cells
        zeros += x[j] == 0 ? 1 : 0;
        cells++;
      }
    }
    assertEquals(0.2, zeros / cells, 0.03, "zero cells");
    double[] a = new double[rows.length];
    double[] b = new double[rows.length];
    double worst = 0;
    for (int i = 0; i < rows.length; i++) {
      a[i] = rows[i][1];
      b[i] = rows[i][2];
      int j = 8; // a collinear column: the mean of two earlier ones
      worst =
          Math.max(
              worst,
              Math.abs(rows[i][j] - 0.5 * (rows[i][(7 * j) % 8] + rows[i][(13 * j + 1) % 8])));
    }
    assertTrue(worst < 0.01, "collinear within " + worst);
    assertTrue(correlation(a, b) > 0.5, "neighbours correlate: " + correlation(a, b));
  }

  private static double[] moments(double[] c) {
    double mean = 0;
    for (double v : c) {
      mean += v / c.length;
    }
    double var = 0;
    for (double v : c) {
      var += (v - mean) * (v - mean) / c.length;
    }
    return new double[] {mean, var};
  }

  private static double correlation(double[] a, double[] b) {
    double[] ma = moments(a);
    double[] mb = moments(b);
    double cov = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - ma[0]) * (b[i] - mb[0]) / a.length;
    }
    return cov / Math.sqrt(ma[1] * mb[1]);
  }

  @Test
  void vertical_withTheSameSeed_isByteForByteRepeatable() throws IOException {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    SyntheticData.vertical(a, 300, 3, 3, 0.5, 5, null);
    SyntheticData.vertical(b, 300, 3, 3, 0.5, 5, null);
    assertEquals(
        Files.readString(a.resolve("guest.csv")), Files.readString(b.resolve("guest.csv")));
    assertEquals(Files.readString(a.resolve("host.csv")), Files.readString(b.resolve("host.csv")));
  }

  @Test
  void horizontal_smallAlphaIsMoreSkewedThanLargeAlpha() throws IOException {
    double skewSmall = labelSkew(Files.createDirectory(dir.resolve("s")), 0.1);
    double skewLarge = labelSkew(Files.createDirectory(dir.resolve("l")), 100);
    assertTrue(skewSmall > skewLarge + 0.2, skewSmall + " vs " + skewLarge);
  }

  /** Mean over parties of |share of class 1 − overall share|. */
  private double labelSkew(Path out, double alpha) {
    var r = SyntheticData.horizontal(out, 4000, 5, 2, 4, alpha, 100, 3, null);
    int total = 0;
    int ones = 0;
    for (int[] c : r.classCounts()) {
      total += c[0] + c[1];
      ones += c[1];
    }
    assertEquals(4000, total);
    double overall = (double) ones / total;
    double skew = 0;
    int parties = 0;
    for (int p = 0; p < r.partyFiles().size(); p++) {
      Table t = CsvTableReader.read(r.partyFiles().get(p), CsvOptions.labeled());
      assertEquals(r.classCounts()[p][0] + r.classCounts()[p][1], t.rows());
      if (t.rows() > 0) {
        double share = 0;
        for (double y : t.labels()) {
          share += y;
        }
        skew += Math.abs(share / t.rows() - overall);
        parties++;
      }
    }
    return skew / parties;
  }
}
