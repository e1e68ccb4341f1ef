package io.federa.core.csv;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.nio.charset.StandardCharsets;

/**
 * Walks the fields of one CSV line held as UTF-8 bytes, without making a string per field. Quoted
 * fields (RFC 4180, with {@code ""} as an escaped quote) are accepted on one line; line breaks
 * inside quotes are not. The delimiter and quote are ASCII, so scanning bytes is safe for any UTF-8
 * text.
 */
final class FieldCursor {
  private static final int DONE = -1;
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  private static final long MAX_EXACT_MANTISSA = 1L << 53;

  private final String source;
  private final byte delimiter;
  private byte[] line;
  private int lineEnd;
  private int lineNo;
  private int pos;
  private int start;
  private int end;
  private byte[] unescaped;

  FieldCursor(String source, char delimiter) {
    this.source = source;
    this.delimiter = (byte) delimiter;
  }

  /** Points the cursor at {@code bytes[from, to)}. */
  void reset(byte[] bytes, int from, int to, int newLineNo) {
    this.line = bytes;
    this.pos = from;
    this.lineEnd = to;
    this.lineNo = newLineNo;
  }

  /** Convenience for tests and headers: a line given as text. */
  void reset(String text, int newLineNo) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    reset(bytes, 0, bytes.length, newLineNo);
  }

  /** Number of fields of a line, for error messages. */
  int count(byte[] bytes, int from, int to, int someLineNo) {
    reset(bytes, from, to, someLineNo);
    int n = 0;
    while (next()) {
      n++;
    }
    return n;
  }

  /** True when the line has nothing but spaces and tabs. */
  static boolean isBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Moves to the next field; false after the last one. */
  boolean next() {
    if (pos == DONE) {
      return false;
    }
    unescaped = null;
    int p = pos;
    while (p < lineEnd && line[p] == ' ') {
      p++;
    }
    if (p < lineEnd && line[p] == '"') {
      var out = new java.io.ByteArrayOutputStream();
      int q = p + 1;
      while (true) {
        if (q >= lineEnd) {
          throw new FederaException(
              ErrorCode.INVALID_INPUT,
              source
                  + " line "
                  + lineNo
                  + ": a quote is opened but never closed; close it, or remove line breaks"
                  + " inside quoted values");
        }
        byte b = line[q];
        if (b == '"') {
          if (q + 1 < lineEnd && line[q + 1] == '"') {
            out.write('"');
            q += 2;
            continue;
          }
          q++;
          break;
        }
        out.write(b);
        q++;
      }
      while (q < lineEnd && line[q] == ' ') {
        q++;
      }
      if (q < lineEnd && line[q] != delimiter) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            source
                + " line "
                + lineNo
                + ": text after a closing quote at byte "
                + (q + 1)
                + "; a quoted value must be followed by '"
                + (char) delimiter
                + "' or the line end");
      }
      unescaped = out.toByteArray();
      start = 0;
      end = unescaped.length;
      pos = q < lineEnd ? q + 1 : DONE;
      return true;
    }
    int d = pos;
    while (d < lineEnd && line[d] != delimiter) {
      d++;
    }
    start = pos;
    end = d;
    pos = d < lineEnd ? d + 1 : DONE;
    return true;
  }

  /**
   * The current field as text, exactly as written when quoted (RFC 4180), without spaces at either
   * end when not.
   */
  String value() {
    return unescaped != null ? text() : text().trim();
  }

  /** The current field as text; bytes that are not UTF-8 are an error naming the line. */
  String text() {
    byte[] bytes = unescaped != null ? unescaped : line;
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        return decodeStrict(bytes);
      }
    }
    return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1); // ASCII
  }

  private String decodeStrict(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes, start, end - start))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new FederaException(
          ErrorCode.INVALID_INPUT,
          source + " line " + lineNo + ": a value is not UTF-8 text; save the file as UTF-8");
    }
  }

  /**
   * The current field as a finite double, or {@code NaN} when it is empty or not a finite number.
   * Plain decimals with at most 15 significant digits take Clinger's fast path: the mantissa and
   * the power of ten are both exact doubles, so one IEEE multiplication or division is correctly
   * rounded (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990). Everything
   * else goes through {@link Double#parseDouble}.
   */
  double parseDouble() {
    byte[] s = unescaped != null ? unescaped : line;
    int i = start;
    int e = end;
    while (i < e && isSpace(s[i])) {
      i++;
    }
    while (e > i && isSpace(s[e - 1])) {
      e--;
    }
    if (i == e) {
      return Double.NaN;
    }
    int from = i;
    boolean negative = false;
    byte c = s[i];
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    long mantissa = 0;
    int fractionDigits = 0;
    boolean dot = false;
    boolean digits = false;
    int exponent = 0;
    for (; i < e; i++) {
      c = s[i];
      int digit = c - '0';
      if (digit >= 0 && digit <= 9) {
        digits = true;
        mantissa = mantissa * 10 + digit;
        if (mantissa >= MAX_EXACT_MANTISSA) {
          return slowParse(s, from, e);
        }
        if (dot) {
          fractionDigits++;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else if ((c == 'e' || c == 'E') && digits) {
        int k = i + 1;
        boolean expNegative = false;
        if (k < e && (s[k] == '-' || s[k] == '+')) {
          expNegative = s[k] == '-';
          k++;
        }
        if (k == e || e - k > 3) {
          return slowParse(s, from, e);
        }
        for (; k < e; k++) {
          int x = s[k] - '0';
          if (x < 0 || x > 9) {
            return slowParse(s, from, e);
          }
          exponent = exponent * 10 + x;
        }
        if (expNegative) {
          exponent = -exponent;
        }
        break;
      } else {
        return slowParse(s, from, e);
      }
    }
    if (!digits) {
      return slowParse(s, from, e);
    }
    int power = exponent - fractionDigits;
    double value;
    if (power == 0) {
      value = mantissa;
    } else if (power > 0 && power < POWERS_OF_TEN.length) {
      value = mantissa * POWERS_OF_TEN[power];
    } else if (power < 0 && -power < POWERS_OF_TEN.length) {
      value = mantissa / POWERS_OF_TEN[-power];
    } else {
      return slowParse(s, from, e);
    }
    return negative ? -value : value;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  private static double slowParse(byte[] s, int from, int to) {
    String text = new String(s, from, to - from, StandardCharsets.UTF_8);
    // Double.parseDouble also takes Java suffixes and hex; a CSV number has neither.
    char last = text.charAt(text.length() - 1);
    if (Character.isLetter(last) || text.indexOf('x') >= 0 || text.indexOf('X') >= 0) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(text);
      return Double.isFinite(v) ? v : Double.NaN;
    } catch (NumberFormatException ex) {
      return Double.NaN;
    }
  }
}
