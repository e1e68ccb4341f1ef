package io.federa.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it: each line is a range {@code [start, end)} of
 * {@link #buffer()}, valid until the next call. {@code \n}, {@code \r\n} and a lone {@code \r} end
 * a line; a UTF-8 byte-order mark at the very start is skipped. Bytes are only decoded where text
 * is needed (ids, names), which is what makes reading numbers cheap.
 */
final class ByteLines {
  /** The longest line read (a row of a million features fits), so memory stays bounded. */
  static final int MAX_LINE = 64 << 20;

  private final InputStream in;
  private final String source;
  private byte[] buf = new byte[1 << 20];
  private int pos;
  private int limit;
  private boolean eof;
  private int start;
  private int end;
  private boolean first = true;

  ByteLines(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    if (first) {
      first = false;
      fill();
      if (limit - pos >= 3
          && buf[pos] == (byte) 0xEF
          && buf[pos + 1] == (byte) 0xBB
          && buf[pos + 2] == (byte) 0xBF) {
        pos += 3;
      }
    }
    int scan = pos;
    while (true) {
      for (int i = scan; i < limit; i++) {
        byte b = buf[i];
        if (b == '\n' || b == '\r') {
          if (b == '\r' && i + 1 == limit && !eof) {
            scan = i; // need one more byte to know whether \n follows
            break;
          }
          start = pos;
          end = i;
          pos = (b == '\r' && i + 1 < limit && buf[i + 1] == '\n') ? i + 2 : i + 1;
          return true;
        }
        scan = i + 1;
      }
      if (eof) {
        if (pos < limit) {
          start = pos;
          end = limit;
          pos = limit;
          return true;
        }
        return false;
      }
      int consumed = scan - pos;
      compactAndFill();
      scan = pos + consumed;
    }
  }

  private void compactAndFill() throws IOException {
    int remaining = limit - pos;
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, remaining);
    } else if (remaining == buf.length) {
      if (buf.length >= MAX_LINE) {
        throw new io.federa.core.FederaException(
            io.federa.core.ErrorCode.INVALID_INPUT,
            source
                + ": a line is longer than "
                + (MAX_LINE >> 20)
                + " MiB: this is not a CSV file of rows (one row per line, values separated by"
                + " commas)");
      }
      buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
    }
    pos = 0;
    limit = remaining;
    fill();
  }

  private void fill() throws IOException {
    while (limit < buf.length) {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
        return;
      }
      limit += n;
      if (n == 0) {
        return;
      }
    }
  }
}
