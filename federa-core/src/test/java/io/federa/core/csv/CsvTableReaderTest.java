package io.federa.core.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableReaderTest {
  @TempDir Path dir;

  private Table read(String content, CsvOptions options) {
    return CsvTableReader.read(
        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "data.csv", options);
  }

  private FederaException failure(String content, CsvOptions options) {
    return assertThrows(FederaException.class, () -> read(content, options));
  }

  @Test
  void read_labeledFile_keepsIdsLabelsAndFeaturesInOrder() {
    Table t = read("id,y,x0,x1\na,1,0.5,-2\nb,0,1e-3,3.25\n", CsvOptions.labeled());
    assertEquals(2, t.rows());
    assertEquals(List.of("x0", "x1"), t.schema().featureNames());
    assertEquals("y", t.schema().labelName());
    assertEquals("a", t.id(0));
    assertEquals("b", t.id(1));
    assertArrayEquals(new double[] {1, 0}, t.labels());
    assertArrayEquals(new double[] {0.5, 1e-3}, t.column(0));
    assertArrayEquals(new double[] {-2, 3.25}, t.column(1));
  }

  @Test
  void read_withColumnsInAnyOrder_findsIdAndLabelByName() {
    Table t =
        read(
            "x6,x7,target,x0,key\n1,2,1,3,k1\n4,5,0,6,k2\n",
            new CsvOptions("key", true, "target", ','));
    assertEquals(List.of("x6", "x7", "x0"), t.schema().featureNames());
    assertEquals("k2", t.id(1));
    assertArrayEquals(new double[] {1, 0}, t.labels());
    assertArrayEquals(new double[] {3, 6}, t.column(2));
  }

  @Test
  void read_withoutLabel_treatsEveryOtherColumnAsFeature() {
    Table t = read("id,y,x0\n1,7,8\n", CsvOptions.unlabeled());
    assertFalse(t.hasLabel());
    assertEquals(List.of("y", "x0"), t.schema().featureNames());
  }

  @Test
  void read_withBomAndCrlf_readsCleanly() throws IOException {
    Path file = dir.resolve("bom.csv");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "id,y,x0\r\n1,1,0.25\r\n2,0,0.75\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    Files.write(file, all);
    Table t = CsvTableReader.read(file, CsvOptions.labeled());
    assertEquals(2, t.rows());
    assertEquals("1", t.id(0));
    assertArrayEquals(new double[] {0.25, 0.75}, t.column(0));
  }

  @Test
  void read_quotedFields_unescapesThem() {
    Table t = read("\"id\",y,\"x,0\"\n\"a \"\"b\"\"\",1,\"2.5\"\n", CsvOptions.labeled());
    assertEquals("a \"b\"", t.id(0));
    assertEquals(List.of("x,0"), t.schema().featureNames());
    assertEquals(2.5, t.value(0, 0));
  }

  @Test
  void read_blankLines_areSkipped() {
    Table t = read("id,y,x0\n\n1,1,2\n   \n2,0,3\n\n", CsvOptions.labeled());
    assertEquals(2, t.rows());
  }

  @Test
  void read_withRaggedRow_namesTheLineAndCounts() {
    var e = failure("id,y,x0,x1\n1,1,2,3\n2,0,3\n", CsvOptions.labeled());
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().startsWith("data.csv line 3: 3 values but the header has 4 columns"));
    assertTrue(e.getMessage().contains("make every row as long as the header"));
  }

  @Test
  void read_withTooLongRow_namesTheLine() {
    var e = failure("id,y,x0\n1,1,2\n2,0,3,9\n", CsvOptions.labeled());
    assertTrue(e.getMessage().startsWith("data.csv line 3: 4 values but the header has 3"));
  }

  @Test
  void read_withNonNumericValue_namesLineColumnAndValue() {
    var e = failure("id,y,x0,age\n1,1,2,3\n2,0,3,twelve\n", CsvOptions.labeled());
    assertEquals(
        "data.csv line 3: column 'age' 'twelve' is not a finite number; features and labels"
            + " must be numbers like 0.25 or -3e-2 (encode categories as numbers first)",
        e.getMessage());
  }

  @Test
  void read_withEmptyValue_asksToFillMissingValues() {
    var e = failure("id,y,x0\n1,,2\n", CsvOptions.labeled());
    assertTrue(e.getMessage().startsWith("data.csv line 2: column 'y' is empty"));
    assertTrue(e.getMessage().contains("fill missing values"));
  }

  /** With missing values allowed, FATE's tokens in a feature are NaN; a label is never missing. */
  @Test
  void read_withMissingValuesAllowed_readsFatesTokensAsNaN() {
    var options = CsvOptions.labeled().withMissingValues(true);
    Table t = read("id,y,x0,x1\n1,1,,NA\n2,0,null,3\n3,1,None,nan\n", options);
    assertTrue(Double.isNaN(t.value(0, 0)) && Double.isNaN(t.value(0, 1)));
    assertTrue(Double.isNaN(t.value(1, 0)) && t.value(1, 1) == 3);
    assertTrue(Double.isNaN(t.value(2, 0)) && Double.isNaN(t.value(2, 1)));
    var e = failure("id,y,x0\n1,,2\n", options);
    assertTrue(e.getMessage().contains("column 'y' is empty"), e.getMessage());
    assertTrue(failure("id,y,x0\n1,1,abc\n", options).getMessage().contains("'abc'"));
  }

  @Test
  void read_withNaNOrInfinity_refusesThem() {
    assertTrue(failure("id,y,x0\n1,1,NaN\n", CsvOptions.labeled()).getMessage().contains("'NaN'"));
    assertTrue(
        failure("id,y,x0\n1,1,Infinity\n", CsvOptions.labeled())
            .getMessage()
            .contains("'Infinity'"));
    assertTrue(
        failure("id,y,x0\n1,1,1e999\n", CsvOptions.labeled()).getMessage().contains("1e999"));
    assertTrue(failure("id,y,x0\n1,1,2d\n", CsvOptions.labeled()).getMessage().contains("'2d'"));
  }

  @Test
  void read_withDuplicateId_namesBothLines() {
    var e = failure("id,y,x0\n7,1,2\n8,1,2\n7,0,3\n", CsvOptions.labeled());
    assertEquals(
        "data.csv line 4: duplicate id (the id of line 2); ids must be unique: remove or merge"
            + " the repeated row",
        e.getMessage());
  }

  @Test
  void read_withMissingLabelColumn_namesColumnsAndFix() {
    var e = failure("id,x0,x1\n1,2,3\n", CsvOptions.labeled());
    assertEquals(
        "data.csv line 1: no label column 'y' in the header [id, x0, x1]; name the label column"
            + " (--label), or read the file without a label (with_label=false)",
        e.getMessage());
  }

  @Test
  void read_withMissingIdColumn_namesTheFix() {
    var e = failure("key,y,x0\n1,2,3\n", CsvOptions.labeled());
    assertTrue(e.getMessage().contains("no id column 'id'"));
    assertTrue(e.getMessage().contains("--id-column"));
  }

  @Test
  void read_emptyFile_saysItIsEmpty() {
    var e = failure("", CsvOptions.labeled());
    assertTrue(e.getMessage().startsWith("data.csv: the file is empty"));
  }

  @Test
  void read_headerOnly_saysThereAreNoRows() {
    var e = failure("id,y,x0\n", CsvOptions.labeled());
    assertTrue(e.getMessage().contains("no data rows"));
  }

  @Test
  void read_duplicateColumnName_namesBothColumns() {
    var e = failure("id,y,x0,x0\n1,1,2,3\n", CsvOptions.labeled());
    assertTrue(e.getMessage().contains("'x0' appears twice (columns 3 and 4)"));
  }

  @Test
  void read_unterminatedQuote_namesTheLine() {
    var e = failure("id,y,x0\n\"1,1,2\n", CsvOptions.labeled());
    assertTrue(e.getMessage().startsWith("data.csv line 2: a quote is opened but never closed"));
  }

  @Test
  void read_emptyId_isRefused() {
    var e = failure("id,y,x0\n,1,2\n", CsvOptions.labeled());
    assertTrue(e.getMessage().startsWith("data.csv line 2: the id is empty"));
  }

  @Test
  void read_missingFile_namesThePath() {
    var e =
        assertThrows(
            FederaException.class,
            () -> CsvTableReader.read(dir.resolve("nope.csv"), CsvOptions.labeled()));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("nope.csv: no such file"));
  }

  @Test
  void read_manyRows_growsColumnsAcrossChunks() {
    var sb = new StringBuilder("id,y,x0\n");
    int n = 200_003;
    for (int i = 0; i < n; i++) {
      sb.append(i).append(',').append(i % 2).append(',').append(i).append(".5\n");
    }
    Table t = read(sb.toString(), CsvOptions.labeled());
    assertEquals(n, t.rows());
    for (int i = 0; i < n; i += 9973) {
      assertEquals(i + 0.5, t.value(i, 0));
      assertEquals(i % 2, t.label(i));
    }
    assertEquals(n - 1 + 0.5, t.value(n - 1, 0));
  }

  @Test
  void read_utf8IdsAndNames_areDecoded() {
    Table t = read("id,y,größe\nZürich-1,1,2\n北京,0,3\n", CsvOptions.labeled());
    assertEquals("Zürich-1", t.id(0));
    assertEquals("北京", t.id(1));
    assertEquals(List.of("größe"), t.schema().featureNames());
  }

  @Test
  void read_loneCarriageReturns_endLines() {
    Table t = read("id,y,x0\r1,1,2\r2,0,3\r", CsvOptions.labeled());
    assertEquals(2, t.rows());
    assertEquals(3.0, t.value(1, 0));
  }

  @Test
  void read_lineLongerThanTheBuffer_isReadWhole() {
    int features = 200_000; // about 1.4 MB on one line, more than the 1 MiB buffer
    var header = new StringBuilder("id,y");
    var row = new StringBuilder("r1,1");
    for (int j = 0; j < features; j++) {
      header.append(",f").append(j);
      row.append(",").append(j % 10);
    }
    Table t = read(header + "\n" + row + "\n", CsvOptions.labeled());
    assertEquals(features, t.features());
    assertEquals(9.0, t.value(0, features - 1));
  }

  /** Hardening findings 5 and 9: devices, huge lines and bytes that are not UTF-8. */
  @Test
  void devicesHugeLinesAndInvalidUtf8_areRefusedWithTheCause() throws IOException {
    Path zero = Path.of("/dev/zero");
    if (Files.exists(zero)) {
      FederaException e =
          assertThrows(
              FederaException.class, () -> CsvTableReader.read(zero, CsvOptions.labeled()));
      assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
    Path sparse = dir.resolve("sparse.csv");
    try (var f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(100L << 20); // 100 MiB of zero bytes, no line break
    }
    FederaException huge =
        assertThrows(
            FederaException.class, () -> CsvTableReader.read(sparse, CsvOptions.labeled()));
    assertTrue(huge.getMessage().contains("a line is longer than 64 MiB"), huge.getMessage());

    Path latin1 = dir.resolve("latin1.csv");
    Files.write(
        latin1,
        new byte[] {
          'i', 'd', ',', 'y', ',', 'x', '\n', 'J', (byte) 0xE9, 'r', ',', '1', ',', '2', '\n'
        });
    FederaException utf8 =
        assertThrows(
            FederaException.class, () -> CsvTableReader.read(latin1, CsvOptions.labeled()));
    assertEquals(ErrorCode.INVALID_INPUT, utf8.code());
    assertTrue(utf8.getMessage().contains("line 2: a value is not UTF-8"), utf8.getMessage());
  }
}
