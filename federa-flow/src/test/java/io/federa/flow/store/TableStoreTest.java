package io.federa.flow.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables on a node: atomic, checksummed, recorded in SQLite, with clear errors. */
class TableStoreTest {
  @TempDir Path dir;

  private Path csv(String text) throws Exception {
    Path f = Files.createTempFile(dir, "in", ".csv");
    Files.writeString(f, text);
    return f;
  }

  private TableStore store(Path data) {
    return new TableStore(data, MetadataStore.open(MetadataStore.sqliteUrl(data)));
  }

  @Test
  void uploadListReadDownloadDelete() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TableStore store = store(data);
    TableInfo info =
        store.upload(
            csv("id,y,x0,x1\na,1,0.5,2\nb,0,1.5,-3\n"),
            "experiment",
            "breast",
            CsvOptions.labeled(),
            false);
    assertEquals(2, info.rows());
    assertEquals(2, info.features());
    assertEquals("y", info.labelColumn());
    assertEquals(1, store.list(null).size());
    Table t = store.read("experiment", "breast");
    assertArrayEquals(new double[] {1, 0}, t.labels());
    assertEquals(-3, t.value(1, 1));
    Path out = dir.resolve("out.csv");
    store.download("experiment", "breast", out);
    assertEquals("id,y,x0,x1\na,1,0.5,2\nb,0,1.5,-3\n", Files.readString(out));
    store.delete("experiment", "breast");
    assertTrue(store.list("experiment").isEmpty());
    FederaException e =
        assertThrows(FederaException.class, () -> store.read("experiment", "breast"));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
  }

  @Test
  void theMetadataSurvivesAReopen_andAnExistingTableIsNotOverwrittenSilently() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    store(data).upload(csv("id,x0\na,1\n"), "ns", "t", CsvOptions.unlabeled(), false);
    TableStore again = store(data);
    assertEquals(1, again.info("ns", "t").orElseThrow().rows());
    FederaException e =
        assertThrows(
            FederaException.class,
            () -> again.upload(csv("id,x0\na,1\nb,2\n"), "ns", "t", CsvOptions.unlabeled(), false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    again.upload(csv("id,x0\na,1\nb,2\n"), "ns", "t", CsvOptions.unlabeled(), true);
    assertEquals(2, again.read("ns", "t").rows());
    try (Stream<Path> files = Files.list(data.resolve("tables").resolve("ns"))) {
      assertEquals(1, files.count(), "the replaced file is gone");
    }
  }

  @Test
  void aCorruptFileIsRefusedWithItsChecksums() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TableStore store = store(data);
    TableInfo info = store.upload(csv("id,x0\na,1\n"), "ns", "t", CsvOptions.unlabeled(), false);
    Files.writeString(data.resolve("tables").resolve(info.file()), "id,x0\na,9\n");
    FederaException e = assertThrows(FederaException.class, () -> store.read("ns", "t"));
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void aMalformedCsvStoresNothing_andOrphanFilesAreRemovedOnOpen() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TableStore store = store(data);
    FederaException e =
        assertThrows(
            FederaException.class,
            () ->
                store.upload(
                    csv("id,x0\na,1\nb,oops\n"), "ns", "t", CsvOptions.unlabeled(), false));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(store.list(null).isEmpty());
    // a file left by an upload killed before its record was written
    Path orphan = Files.createDirectories(data.resolve("tables").resolve("ns")).resolve("t-x.csv");
    Files.writeString(orphan, "id,x0\n");
    store(data);
    assertTrue(Files.notExists(orphan));
  }

  @Test
  void badNamesAreRefusedWithTheRule() {
    Path data = dir.resolve("data");
    FederaException e =
        assertThrows(
            FederaException.class,
            () ->
                store(data).upload(dir.resolve("x.csv"), "ns", "a/b", CsvOptions.labeled(), false));
    assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
  }

  @Test
  void schemaIsVersioned() {
    Path data = dir.resolve("data");
    try (MetadataStore m = MetadataStore.open(MetadataStore.sqliteUrl(data))) {
      assertEquals(3, m.schemaVersion());
    }
  }

  /** Hardening finding 11: a full disk is named as such, not as a transaction error. */
  @Test
  void aFullDisk_isNamedWithTheFix() {
    var sqlite = new java.sql.SQLException("[SQLITE_FULL] database or disk is full", null, 13);
    String m =
        MetadataStore.failure("jdbc:sqlite:/d/federa.db", "delete table e.t", sqlite).getMessage();
    org.junit.jupiter.api.Assertions.assertTrue(
        m.contains("cannot delete table e.t: the disk of the metadata store")
            && m.contains("is full; free space"),
        m);
    var postgres = new java.sql.SQLException("could not extend file", "53100");
    org.junit.jupiter.api.Assertions.assertTrue(
        MetadataStore.failure("jdbc:postgresql://db/f", "x", postgres)
            .getMessage()
            .contains("is full"));
    org.junit.jupiter.api.Assertions.assertTrue(
        !MetadataStore.failure("u", "x", new java.sql.SQLException("syntax error"))
            .getMessage()
            .contains("full"));
  }
}
