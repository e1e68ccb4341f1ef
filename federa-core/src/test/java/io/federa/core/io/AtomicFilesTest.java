package io.federa.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeBytes_createsMissingDirectoriesAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("a/b/c/next");
    AtomicFiles.writeBytes(file, false, new byte[] {1, 2});
    AtomicFiles.writeBytes(file, false, new byte[] {3});
    assertArrayEquals(new byte[] {3}, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "only the file itself: the temporary one was renamed");
    }
  }

  @Test
  void createDirectories_isIdempotentAndRefusesAFileInTheWay() throws IOException {
    Path nested = dir.resolve("x/y/z");
    AtomicFiles.createDirectories(nested);
    AtomicFiles.createDirectories(nested);
    assertTrue(Files.isDirectory(nested));
    Files.writeString(dir.resolve("x/file"), "not a directory");
    assertThrows(IOException.class, () -> AtomicFiles.createDirectories(dir.resolve("x/file/w")));
  }

  @Test
  void syncDirectory_ofAMissingDirectory_fails() {
    assertThrows(IOException.class, () -> AtomicFiles.syncDirectory(dir.resolve("missing")));
  }
}
