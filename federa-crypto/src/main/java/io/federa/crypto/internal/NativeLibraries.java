package io.federa.crypto.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Binds a library Federa builds into its jar ({@code src/main/c}) to a class of native methods. */
public final class NativeLibraries {
  private NativeLibraries() {}

  /**
   * Copies {@code resource} (a Linux x86-64 shared library in the jar) to a private temporary file,
   * registers {@code lib}'s native methods on it and deletes the file: the loaded library stays
   * mapped, so no copy is left behind even by a process that is killed.
   *
   * @throws IllegalStateException on another platform, or when the jar was built without it
   */
  public static void register(Class<?> lib, String resource) {
    if (!"amd64".equals(System.getProperty("os.arch"))
        || !System.getProperty("os.name", "").startsWith("Linux")) {
      throw new IllegalStateException("built for Linux x86-64 only");
    }
    try (java.io.InputStream so = lib.getResourceAsStream(resource)) {
      if (so == null) {
        throw new IllegalStateException("not built into this jar (gcc was missing)");
      }
      java.nio.file.Path file = java.nio.file.Files.createTempFile("federa-", ".so");
      try {
        java.nio.file.Files.copy(so, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Native.register(lib, NativeLibrary.getInstance(file.toString()));
      } finally {
        java.nio.file.Files.deleteIfExists(file);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot unpack " + resource + ": " + e.getMessage(), e);
    }
  }
}
