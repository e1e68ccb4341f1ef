package io.federa.core.csv;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a CSV file into a {@link Table}. The header is required; the id and label columns may be
 * anywhere; every other column is a numeric feature. Rows are parsed one at a time into growing
 * primitive column chunks, so memory stays close to the size of the doubles themselves.
 *
 * <p>Every error names the file, the line, the column and the fix. A UTF-8 byte-order mark and CRLF
 * line ends are accepted.
 */
public final class CsvTableReader {
  private static final int CHUNK = 1 << 16;
  private static final int MAX_SHOWN_VALUE = 40;

  private final String source;
  private final CsvOptions options;

  private CsvTableReader(String source, CsvOptions options) {
    this.source = source;
    this.options = options;
  }

  /** Reads a file. */
  public static Table read(Path file, CsvOptions options) {
    return read(file, file.toString(), options);
  }

  /** Reads a file, naming it {@code sourceName} in errors (an upload rather than its temp file). */
  public static Table read(Path file, String sourceName, CsvOptions options) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          sourceName + " is not a regular file (a directory, device or pipe); give a CSV file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new CsvTableReader(sourceName, options).readAll(in, countLines(file));
    } catch (NoSuchFileException e) {
      throw new FederaException(
          ErrorCode.NOT_FOUND,
          sourceName + ": no such file; check the path (relative to " + cwd() + ")");
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, sourceName + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** Reads UTF-8 CSV from a stream; {@code sourceName} names it in errors. */
  public static Table read(InputStream in, String sourceName, CsvOptions options) {
    try (in) {
      return new CsvTableReader(sourceName, options).readAll(in, 0);
    } catch (IOException e) {
      throw new FederaException(
          ErrorCode.IO_FAILURE, sourceName + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static String cwd() {
    return Path.of("").toAbsolutePath().toString();
  }

  /**
   * Counts line breaks with a fast byte scan, so that columns can be allocated once at their final
   * size: no chunk copying, and no garbage for the collector to move.
   */
  private static int countLines(Path file) throws IOException {
    long lines = 0;
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      var buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
      while (channel.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          if (buffer.get() == '\n') {
            lines++;
          }
        }
        buffer.clear();
      }
    }
    return (int) Math.min(Integer.MAX_VALUE - 16, lines + 1);
  }

  /**
   * @param expectedLines upper bound on the number of lines if known (0 if not), to size columns
   */
  private Table readAll(InputStream in, int expectedLines) throws IOException {
    ByteLines lines = new ByteLines(in, source);
    boolean any = lines.next();
    int lineNo = 1;
    while (any && FieldCursor.isBlank(lines.buffer(), lines.start(), lines.end())) {
      any = lines.next();
      lineNo++;
    }
    if (!any) {
      throw error(
          0, "the file is empty; a CSV needs a header line such as 'id,y,x0,x1' and data rows");
    }
    List<String> names = new ArrayList<>();
    FieldCursor cursor = new FieldCursor(source, options.delimiter());
    cursor.reset(lines.buffer(), lines.start(), lines.end(), lineNo);
    while (cursor.next()) {
      names.add(cursor.value());
    }
    int columnCount = names.size();
    int idCol = names.indexOf(options.idColumn());
    if (idCol < 0) {
      throw error(
          lineNo,
          "no id column '"
              + options.idColumn()
              + "' in the header "
              + names
              + "; name the id column (--id-column) or add one");
    }
    int labelCol = -1;
    if (options.withLabel()) {
      labelCol = names.indexOf(options.labelColumn());
      if (labelCol < 0) {
        throw error(
            lineNo,
            "no label column '"
                + options.labelColumn()
                + "' in the header "
                + names
                + "; name the label column (--label), or read the file without a label"
                + " (with_label=false)");
      }
    }
    // role of each CSV column: -1 id, -2 label, >= 0 feature index
    int[] role = new int[columnCount];
    List<String> featureNames = new ArrayList<>();
    Map<String, Integer> firstSeen = new HashMap<>();
    for (int c = 0; c < columnCount; c++) {
      String name = names.get(c);
      if (name.isEmpty()) {
        throw error(lineNo, "column " + (c + 1) + " has an empty name; give every column a name");
      }
      Integer before = firstSeen.putIfAbsent(name, c);
      if (before != null) {
        throw error(
            lineNo,
            "column name '"
                + name
                + "' appears twice (columns "
                + (before + 1)
                + " and "
                + (c + 1)
                + "); rename one");
      }
      if (c == idCol) {
        role[c] = -1;
      } else if (c == labelCol) {
        role[c] = -2;
      } else {
        role[c] = featureNames.size();
        featureNames.add(name);
      }
    }

    int features = featureNames.size();
    ColumnBuilder[] columns = new ColumnBuilder[features];
    for (int j = 0; j < features; j++) {
      columns[j] = new ColumnBuilder(expectedLines);
    }
    ColumnBuilder labels = labelCol >= 0 ? new ColumnBuilder(expectedLines) : null;
    IdIndex ids = new IdIndex(expectedLines);

    while (lines.next()) {
      lineNo++;
      byte[] line = lines.buffer();
      int lineStart = lines.start();
      int lineEnd = lines.end();
      if (FieldCursor.isBlank(line, lineStart, lineEnd)) {
        continue;
      }
      cursor.reset(line, lineStart, lineEnd, lineNo);
      int c = 0;
      while (cursor.next()) {
        if (c >= columnCount) {
          throw raggedRow(lineNo, line, lineStart, lineEnd, columnCount);
        }
        int r = role[c];
        if (r == -1) {
          String id = cursor.value();
          if (id.isEmpty()) {
            throw error(lineNo, "the id is empty; every row needs an id");
          }
          int prior = ids.add(id, lineNo);
          if (prior > 0) {
            throw error(
                lineNo,
                // the id itself is not repeated in the message: ids identify people, and an
                // error may travel to another party's initiator
                "duplicate id (the id of line "
                    + prior
                    + "); ids must be unique: remove or merge the repeated row");
          }
        } else {
          double v =
              r >= 0 && options.missingValues() && CsvOptions.isMissing(cursor.text())
                  ? Double.NaN
                  : parseNumber(cursor, lineNo, names.get(c));
          if (r == -2) {
            labels.add(v);
          } else {
            columns[r].add(v);
          }
        }
        c++;
      }
      if (c != columnCount) {
        throw raggedRow(lineNo, line, lineStart, lineEnd, columnCount);
      }
    }
    if (ids.size() == 0) {
      throw error(lineNo, "the file has a header but no data rows; add rows below the header line");
    }
    double[][] data = new double[features][];
    for (int j = 0; j < features; j++) {
      data[j] = columns[j].build();
      columns[j] = null; // release chunks before building the next column
    }
    Schema schema =
        new Schema(options.idColumn(), labelCol >= 0 ? options.labelColumn() : null, featureNames);
    return new Table(schema, ids.toArray(), labels == null ? null : labels.build(), data);
  }

  private FederaException raggedRow(int lineNo, byte[] line, int from, int to, int expected) {
    int got = new FieldCursor(source, options.delimiter()).count(line, from, to, lineNo);
    return error(
        lineNo,
        got
            + " values but the header has "
            + expected
            + " columns; make every row as long as the header (no missing or extra separators)");
  }

  private double parseNumber(FieldCursor cursor, int lineNo, String column) {
    double v = cursor.parseDouble();
    if (Double.isNaN(v)) {
      String text = cursor.text().trim();
      String why =
          text.isEmpty()
              ? "is empty; fill missing values before loading (Federa does not guess them)"
              : "'"
                  + shown(text)
                  + "' is not a finite number; features and labels must be numbers like 0.25"
                  + " or -3e-2 (encode categories as numbers first)";
      throw error(lineNo, "column '" + column + "' " + why);
    }
    return v;
  }

  private static String shown(String value) {
    return value.length() <= MAX_SHOWN_VALUE ? value : value.substring(0, MAX_SHOWN_VALUE) + "…";
  }

  private FederaException error(int lineNo, String message) {
    String where = lineNo > 0 ? source + " line " + lineNo + ": " : source + ": ";
    return new FederaException(ErrorCode.INVALID_INPUT, where + message);
  }

  /**
   * A growing column. With a known size it is one array allocated up front (no copying); without,
   * it grows in fixed-size chunks and is copied once at the end.
   */
  private static final class ColumnBuilder {
    private final List<double[]> chunks = new ArrayList<>();
    private double[] current;
    private int used;
    private long total;

    ColumnBuilder(int expected) {
      current = new double[expected > 0 ? expected : 64];
    }

    void add(double v) {
      if (used == current.length) {
        if (current.length < CHUNK) {
          current = Arrays.copyOf(current, Math.min(CHUNK, current.length * 4));
        } else {
          chunks.add(current);
          current = new double[CHUNK];
          used = 0;
        }
      }
      current[used++] = v;
      total++;
    }

    double[] build() {
      if (chunks.isEmpty()) {
        double[] out = used == current.length ? current : Arrays.copyOf(current, used);
        current = null;
        return out;
      }
      double[] out = new double[Math.toIntExact(total)];
      int at = 0;
      for (double[] chunk : chunks) {
        System.arraycopy(chunk, 0, out, at, chunk.length);
        at += chunk.length;
      }
      System.arraycopy(current, 0, out, at, used);
      chunks.clear();
      current = null;
      return out;
    }
  }

  /**
   * Ids in file order with an open-addressing hash index over them (4 bytes a slot, no boxing), for
   * the duplicate check; remembers each row's line for the error message.
   */
  private static final class IdIndex {
    private String[] ids;
    private int[] lines;
    private int[] slots; // row + 1, or 0 when empty
    private int size;

    IdIndex(int expected) {
      int capacity = Math.max(16, expected);
      ids = new String[capacity];
      lines = new int[capacity];
      slots = new int[tableSize(capacity)];
    }

    private static int tableSize(int capacity) {
      return Integer.highestOneBit(Math.max(16, capacity) * 2 - 1) << 1;
    }

    int size() {
      return size;
    }

    /** Adds an id; returns 0, or the line where the same id was seen before (then adds nothing). */
    int add(String id, int line) {
      int mask = slots.length - 1;
      int h = id.hashCode() * 0x9E3779B9;
      for (int at = (h ^ (h >>> 16)) & mask; ; at = (at + 1) & mask) {
        int row = slots[at] - 1;
        if (row < 0) {
          if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            lines = Arrays.copyOf(lines, size * 2);
          }
          ids[size] = id;
          lines[size] = line;
          slots[at] = ++size;
          if (size * 2 > slots.length) {
            rehash();
          }
          return 0;
        }
        if (ids[row].equals(id)) {
          return lines[row];
        }
      }
    }

    private void rehash() {
      int[] bigger = new int[slots.length * 2];
      int mask = bigger.length - 1;
      for (int row = 0; row < size; row++) {
        int h = ids[row].hashCode() * 0x9E3779B9;
        int at = (h ^ (h >>> 16)) & mask;
        while (bigger[at] != 0) {
          at = (at + 1) & mask;
        }
        bigger[at] = row + 1;
      }
      slots = bigger;
    }

    String[] toArray() {
      return size == ids.length ? ids : Arrays.copyOf(ids, size);
    }
  }
}
