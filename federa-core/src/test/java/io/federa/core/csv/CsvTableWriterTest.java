package io.federa.core.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.federa.core.io.AtomicFiles;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableWriterTest {
  @TempDir Path dir;

  @Test
  void write_thenRead_roundTripsExactly() {
    var schema = new Schema("id", "y", List.of("a", "b"));
    var table =
        new Table(
            schema,
            new String[] {"r1", "r2", "r3"},
            new double[] {1, 0, 1},
            new double[][] {{0.1, -2.5e-7, 3}, {Math.PI, 1e300, -7}});
    Path file = dir.resolve("out.csv");
    CsvTableWriter.write(file, table);
    Table back = CsvTableReader.read(file, CsvOptions.labeled());
    assertArrayEquals(table.ids(), back.ids());
    assertArrayEquals(table.labels(), back.labels());
    assertArrayEquals(table.column(0), back.column(0));
    assertArrayEquals(table.column(1), back.column(1));
  }

  /** Hardening finding 3: a quoted id was stored as two fields and every later read failed. */
  @Test
  void quotedIdsAndNames_roundTripExactly() throws IOException {
    Path upload = dir.resolve("quoted.csv");
    Files.writeString(
        upload, "id,y,\"x,0\",x1\n\"1,a\",1,0.5,0.2\n\"say \"\"hi\"\"\",0,1,2\n\" pad \",1,3,4\n");
    Table read = CsvTableReader.read(upload, CsvOptions.labeled());
    assertArrayEquals(new String[] {"1,a", "say \"hi\"", " pad "}, read.ids());
    Path stored = dir.resolve("stored.csv");
    CsvTableWriter.write(stored, read);
    Table back = CsvTableReader.read(stored, CsvOptions.labeled());
    assertArrayEquals(read.ids(), back.ids());
    assertEquals(read.schema().featureNames(), back.schema().featureNames());
    assertArrayEquals(read.column(0), back.column(0));
  }

  @Test
  void writeAtomically_whenContentFails_leavesOldFileAndNoTemporary() throws IOException {
    Path file = dir.resolve("keep.csv");
    Files.writeString(file, "old");
    assertThrows(
        RuntimeException.class,
        () ->
            AtomicFiles.write(
                file,
                out -> {
                  out.write("partial");
                  throw new IllegalStateException("disk gone");
                }));
    assertEquals("old", Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
