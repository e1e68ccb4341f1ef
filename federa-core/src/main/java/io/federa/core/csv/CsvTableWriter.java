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
          var sb = new StringBuilder();
          appendText(sb, schema.idName());
          if (table.hasLabel()) {
            sb.append(',');
            appendText(sb, schema.labelName());
          }
          for (String name : schema.featureNames()) {
            sb.append(',');
            appendText(sb, name);
          }
          sb.append('\n');
          out.append(sb);
          for (int i = 0; i < table.rows(); i++) {
            sb.setLength(0);
            appendText(sb, table.id(i));
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

  /**
   * A text field (an id, a column name) as RFC 4180 writes it: quoted, with quotes doubled, when it
   * holds the delimiter, a quote, a line break or spaces at either end; so that the reader gives
   * back exactly the same text.
   */
  public static void appendText(StringBuilder sb, String text) {
    boolean quote =
        text.isEmpty() || text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ';
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      sb.append(text);
      return;
    }
    sb.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  /** Integers without a decimal point; everything else in Java's shortest round-trip form. */
  public static void appendNumber(StringBuilder sb, double v) {
    if (Double.isNaN(v)) {
      return; // a missing value: an empty cell
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else {
      sb.append(v);
    }
  }
}
