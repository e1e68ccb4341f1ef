package io.federa.core.io;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes files so that a reader never sees half of one: to a temporary file beside the target
 * (created owner-only), fsync, then an atomic rename, and an fsync of the directory so the rename
 * itself survives a power cut. A crash leaves the old file or the new one.
 *
 * <p>Privacy follows the directory: in an owner-only directory (a node's data directory, made so by
 * {@link #makePrivate}) new directories are 0700 and new files 0600; elsewhere a file that is not
 * secret is 0644, as a user's outputs are.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes a file's text. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /** Writes UTF-8 text. {@code secret} keeps the file owner-only (a private key); else 0644. */
  public static void write(Path file, boolean secret, Content content) {
    writeRaw(
        file,
        secret,
        channel -> {
          var writer =
              new BufferedWriter(
                  new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
                  1 << 16) {
                @Override
                public void close() throws IOException {
                  flush(); // the content may close its writer; the file is closed (and synced) here
                }
              };
          content.writeTo(writer);
          writer.flush();
        });
  }

  public static void write(Path file, Content content) {
    write(file, false, content);
  }

  /** Writes bytes. */
  /**
   * Whether {@code p} is the temporary file of a write that never finished (the process was killed
   * between creating it and the rename): such files are safe to delete when a directory is
   * recovered.
   */
  public static boolean isTemporary(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith(".") && name.endsWith(".tmp");
  }

  public static void writeBytes(Path file, boolean secret, byte[] bytes) {
    writeRaw(
        file,
        secret,
        channel -> {
          var buffer = java.nio.ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        });
  }

  /** Something that writes a file's bytes to its channel. */
  @FunctionalInterface
  public interface ChannelContent {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Writes whatever {@code content} puts in the channel (for streaming large files). */
  public static void writeChannel(Path file, boolean secret, ChannelContent content) {
    writeRaw(file, secret, content);
  }

  private static void writeRaw(Path file, boolean secret, ChannelContent content) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = null;
    try {
      createDirectories(dir);
      temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp"); // owner-only on POSIX
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      }
      if (!secret && !ownerOnly(dir)) {
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system: keep the default
        }
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot write "
              + file
              + ": "
              + e.getMessage()
              + "; check the directory exists and is writable",
          e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and will be overwritten next time
        }
      }
    }
  }

  /**
   * Forces a directory's entries to disk (after a file in it was created or renamed), so the new
   * name survives a power cut, not only the file's bytes. Best effort where directories cannot be
   * opened (not POSIX).
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
      // a file system that cannot sync a directory: its renames are as durable as it makes them
    }
  }

  /**
   * Creates {@code dir} and its missing parents, forcing each parent's entries to disk after a new
   * directory appears in it, so files later made durable in {@code dir} can be found after a power
   * cut.
   */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(absolute);
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      if (!Files.isDirectory(absolute)) {
        throw raced;
      }
      return;
    }
    if (parent != null && ownerOnly(parent)) {
      Files.setPosixFilePermissions(absolute, OWNER_DIR);
    }
    if (parent != null) {
      syncDirectory(parent);
    }
  }

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  /** Whether {@code dir} is owner-only (no permission for group or others); false if not POSIX. */
  public static boolean ownerOnly(Path dir) {
    try {
      return Files.getPosixFilePermissions(dir).stream()
          .allMatch(p -> p.name().startsWith("OWNER_"));
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }

  /**
   * Makes {@code root} a private directory: created if missing, 0700, and everything already in it
   * directories 0700 and files 0600 (a node's data directory, at every start).
   */
  public static void makePrivate(Path root) {
    try {
      createDirectories(root);
      try (var all = Files.walk(root)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          if (Files.isSymbolicLink(p)) {
            continue;
          }
          Files.setPosixFilePermissions(p, Files.isDirectory(p) ? OWNER_DIR : OWNER_FILE);
        }
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own access control applies
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE,
          "cannot make " + root + " private (0700): " + e.getMessage() + "; check its owner",
          e);
    }
  }

  /**
   * Opens {@code file} (its directories created as by {@link #createDirectories}); a file it
   * creates is owner-only (0600): a node's logs, transcripts and messages.
   */
  public static FileChannel openPrivate(Path file, java.nio.file.OpenOption... options)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    java.util.Set<java.nio.file.OpenOption> set = new java.util.HashSet<>(List.of(options));
    try {
      return FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, set);
    }
  }

  /** Removes {@code dir} and everything under it; a missing one is nothing to do. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new FederaException(ErrorCode.IO_FAILURE, "cannot remove " + dir + ": " + e, e);
    }
  }

  /**
   * Runs {@code work} (file writes) even when the calling thread has been interrupted — a stopped
   * component reporting its end — where a {@code FileChannel} would close at once with {@code
   * ClosedByInterruptException}; the interrupt is kept for the caller.
   */
  public static void uninterruptibly(Runnable work) {
    boolean interrupted = Thread.interrupted();
    try {
      work.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
