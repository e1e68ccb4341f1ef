package io.federa.core.csv;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Table;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes tables as CSV and, more generally, writes any file atomically: to a temporary file beside
 * the target, fsync, then rename, so a reader never sees a half-written file.
 */
public final class CsvTableWriter {
  private CsvTableWriter() {}

  /** Something that writes a file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /** Writes {@code table} (id, label if any, features) to {@code file} atomically. */
  public static void write(Path file, Table table) {
    writeAtomically(
        file,
        out -> {
          var schema = table.schema();
          out.write(schema.idName());
          if (table.hasLabel()) {
            out.write(',');
            out.write(schema.labelName());
          }
          for (String name : schema.featureNames()) {
            out.write(',');
            out.write(name);
          }
          out.write('\n');
          var sb = new StringBuilder();
          for (int i = 0; i < table.rows(); i++) {
            sb.setLength(0);
            sb.append(table.id(i));
            if (table.hasLabel()) {
              sb.append(',');
              appendNumber(sb, table.label(i));
            }
            for (int j = 0; j < table.features(); j++) {
              sb.append(',');
              appendNumber(sb, table.value(i, j));
            }
            sb.append('\n');
            out.append(sb);
          }
        });
  }

  /** Integers without a decimal point; everything else in Java's shortest round-trip form. */
  public static void appendNumber(StringBuilder sb, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else {
      sb.append(v);
    }
  }

  /** Writes a file through a temporary sibling, fsyncs it, and renames it over {@code file}. */
  public static void writeAtomically(Path file, Content content) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          var writer =
              new BufferedWriter(
                  new OutputStreamWriter(
                      java.nio.channels.Channels.newOutputStream(channel), StandardCharsets.UTF_8),
                  1 << 16)) {
        content.writeTo(writer);
        writer.flush();
        channel.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
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
}
