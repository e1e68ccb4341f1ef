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
