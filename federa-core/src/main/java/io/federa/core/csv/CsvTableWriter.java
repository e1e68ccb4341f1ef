package io.federa.core.csv;

import io.federa.core.io.AtomicFiles;
import io.federa.core.table.Table;
import java.nio.file.Path;

/**
 * Writes tables as CSV and, more generally, writes any file atomically: to a temporary file beside
 * the target, fsync, then rename, so a reader never sees a half-written file.
 */
public final class CsvTableWriter {
  private CsvTableWriter() {}

  /** Writes {@code table} (id, label if any, features) to {@code file} atomically. */
  public static void write(Path file, Table table) {
    AtomicFiles.write(
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
}
