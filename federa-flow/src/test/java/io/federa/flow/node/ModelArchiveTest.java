package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.json.Json;
import io.federa.flow.component.Outputs;
import io.federa.flow.component.PartyModel;
import io.federa.flow.job.ModelStore;
import io.federa.flow.store.MetadataStore;
import io.federa.flow.store.TableStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model archive is input from outside the node: every name in it is checked before it touches a
 * path, every part must be this party's and consistent, and it cannot unpack to more than a model
 * holds (hardening findings 1 and 10).
 */
class ModelArchiveTest {
  @TempDir Path dir;
  private MetadataStore meta;
  private ModelRegistry registry;
  private Path data;

  @BeforeEach
  void open() {
    data = dir.resolve("node");
    meta = MetadataStore.open(MetadataStore.sqliteUrl(data));
    registry = new ModelRegistry(10000, data, new TableStore(data, meta), new ModelStore(meta));
  }

  @AfterEach
  void close() {
    meta.close();
  }

  private byte[] exported() {
    registry.store(
        "202612020000000001",
        "guest-9999#host-10000_model",
        "hetero_lr_0",
        "HeteroLR",
        "host",
        new Outputs(
            null,
            new PartyModel.HeteroLrHost(
                List.of("x0", "x1"), new double[][] {{0.5, -0.25}}, new double[] {0.1})),
        List.of("reader_0", "scale_0"));
    return registry.exportModel("guest-9999#host-10000_model", "202612020000000001");
  }

  /** The archive's entries, changed by {@code edit}, zipped again. */
  private static byte[] rezip(byte[] archive, java.util.function.Consumer<Map<String, byte[]>> edit)
      throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
      for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        files.put(e.getName(), zip.readAllBytes());
      }
    }
    edit.accept(files);
    var out = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(out)) {
      for (var e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] manifestWith(byte[] manifest, String field, String value) {
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(manifest, "manifest");
    if (field.startsWith("parts.")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("parts").get(0))
          .put(field.substring(6), value);
    } else {
      tree.put(field, value);
    }
    return Json.bytes(tree);
  }

  @Test
  void aGoodArchiveImports_withEachPartsDataPath() {
    var imported = registry.importModel(exported());
    assertEquals(1, imported.parts());
    var parts = registry.version(imported.modelId(), imported.modelVersion());
    assertEquals(1, parts.size());
    parts.forEach(p -> assertEquals(List.of("reader_0", "scale_0"), p.dataPath()));
  }

  @Test
  void namesThatLeadOutsideTheDataDirectory_areRefusedAndNothingIsWritten() throws Exception {
    byte[] good = exported();
    Path victim = dir.resolve("elsewhere").resolve("x.json");
    Files.createDirectories(victim.getParent());
    Files.writeString(victim, "keep me");
    for (String field : List.of("parts.component", "model_version", "parts.job_id")) {
      for (String evil :
          List.of("../../elsewhere/x", "..", ".", "a/b", "a\u0000b", "x".repeat(1000))) {
        byte[] archive =
            rezip(
                good,
                f -> f.put("manifest.json", manifestWith(f.get("manifest.json"), field, evil)));
        var e = assertThrows(FederaException.class, () -> registry.importModel(archive), field);
        assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
      }
    }
    assertEquals("keep me", Files.readString(victim));
    try (var files = Files.walk(dir)) {
      assertFalse(
          files.anyMatch(
              p ->
                  p.toString().contains("elsewhere")
                      && !p.equals(victim)
                      && !p.equals(victim.getParent())));
    }
  }

  /** The archive with {@code from} replaced by {@code to} in its part's JSON. */
  private static byte[] withPartEdited(byte[] archive, String from, String to) throws Exception {
    return rezip(
        archive,
        f -> {
          String part = new String(f.get("parts/hetero_lr_0.json"));
          f.put("parts/hetero_lr_0.json", part.replace(from, to).getBytes());
        });
  }

  @Test
  void aPartOfAnotherPartyOrOfTheWrongShape_isRefused() throws Exception {
    byte[] good = exported();
    byte[] otherParty = withPartEdited(good, "\"party_id\":10000", "\"party_id\":9999");
    assertTrue(
        assertThrows(FederaException.class, () -> registry.importModel(otherParty))
            .getMessage()
            .contains("claims another party"));
    byte[] wrongShape = withPartEdited(good, "[0.5,-0.25]", "[0.5,-0.25,1.0]");
    assertTrue(
        assertThrows(FederaException.class, () -> registry.importModel(wrongShape))
            .getMessage()
            .contains("2 features but a weight vector of another length"));
  }

  @Test
  void anArchiveThatUnpacksToMoreThanAModel_isRefusedWithoutReadingItAll() throws Exception {
    byte[] bomb = rezip(exported(), f -> f.put("parts/hetero_lr_0.json", new byte[64 << 20]));
    assertTrue(bomb.length < 1 << 20, "a zip of zeros is small: " + bomb.length);
    var e = assertThrows(FederaException.class, () -> registry.importModel(bomb));
    assertTrue(e.getMessage().contains("unpacks to more than a model holds"), e.getMessage());
  }

  /** Seeded mutations of a good archive: each is imported or refused clearly (hardening suite). */
  @Test
  void mutatedArchives_areImportedOrRefusedClearly() {
    io.federa.flow.FuzzTest.fuzz("model archive", exported(), b -> registry.importModel(b));
  }
}
