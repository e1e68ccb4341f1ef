package io.federa.core.csv;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;

/**
 * Walks the fields of one CSV line without splitting it into strings. Quoted fields (RFC 4180, with
 * {@code ""} as an escaped quote) are accepted on one line; line breaks inside quotes are not.
 */
final class FieldCursor {
  private static final int DONE = -1;
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  private static final long MAX_EXACT_MANTISSA = 1L << 53;

  private final String source;
  private final char delimiter;
  private String line;
  private int lineNo;
  private int pos;
  private int start;
  private int end;
  private String unescaped;

  FieldCursor(String source, char delimiter) {
    this.source = source;
    this.delimiter = delimiter;
  }

  void reset(String newLine, int newLineNo) {
    this.line = newLine;
    this.lineNo = newLineNo;
    this.pos = 0;
  }

  /** Number of fields of a line, for error messages. */
  int count(String someLine, int someLineNo) {
    reset(someLine, someLineNo);
    int n = 0;
    while (next()) {
      n++;
    }
    return n;
  }

  /** Moves to the next field; false after the last one. */
  boolean next() {
    if (pos == DONE) {
      return false;
    }
    unescaped = null;
    int len = line.length();
    int p = pos;
    while (p < len && line.charAt(p) == ' ') {
      p++;
    }
    if (p < len && line.charAt(p) == '"') {
      var sb = new StringBuilder();
      int q = p + 1;
      while (true) {
        if (q >= len) {
          throw new FederaException(
              ErrorCode.INVALID_INPUT,
              source
                  + " line "
                  + lineNo
                  + ": a quote is opened but never closed; close it, or remove line breaks"
                  + " inside quoted values");
        }
        char ch = line.charAt(q);
        if (ch == '"') {
          if (q + 1 < len && line.charAt(q + 1) == '"') {
            sb.append('"');
            q += 2;
            continue;
          }
          q++;
          break;
        }
        sb.append(ch);
        q++;
      }
      while (q < len && line.charAt(q) == ' ') {
        q++;
      }
      if (q < len && line.charAt(q) != delimiter) {
        throw new FederaException(
            ErrorCode.INVALID_INPUT,
            source
                + " line "
                + lineNo
                + ": text after a closing quote at position "
                + (q + 1)
                + "; a quoted value must be followed by '"
                + delimiter
                + "' or the line end");
      }
      unescaped = sb.toString();
      start = 0;
      end = unescaped.length();
      pos = q < len ? q + 1 : DONE;
      return true;
    }
    int d = line.indexOf(delimiter, pos);
    start = pos;
    end = d < 0 ? len : d;
    pos = d < 0 ? DONE : d + 1;
    return true;
  }

  /** The current field as text. */
  String text() {
    return unescaped != null ? unescaped : line.substring(start, end);
  }

  /**
   * The current field as a finite double, or {@code NaN} when it is empty or not a finite number.
   * Plain decimals with at most 15 significant digits take Clinger's fast path: the mantissa and
   * the power of ten are both exact doubles, so one IEEE multiplication or division is correctly
   * rounded (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990). Everything
   * else goes through {@link Double#parseDouble}.
   */
  double parseDouble() {
    String s = unescaped != null ? unescaped : line;
    int i = start;
    int e = end;
    while (i < e && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    while (e > i && Character.isWhitespace(s.charAt(e - 1))) {
      e--;
    }
    if (i == e) {
      return Double.NaN;
    }
    int from = i;
    boolean negative = false;
    char c = s.charAt(i);
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
      c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits = true;
        mantissa = mantissa * 10 + (c - '0');
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
        if (k < e && (s.charAt(k) == '-' || s.charAt(k) == '+')) {
          expNegative = s.charAt(k) == '-';
          k++;
        }
        if (k == e || e - k > 3) {
          return slowParse(s, from, e);
        }
        for (; k < e; k++) {
          char x = s.charAt(k);
          if (x < '0' || x > '9') {
            return slowParse(s, from, e);
          }
          exponent = exponent * 10 + (x - '0');
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

  private static double slowParse(String s, int from, int to) {
    String text = s.substring(from, to);
    // Double.parseDouble also takes Java suffixes and hex; a CSV number has neither.
    char last = text.charAt(text.length() - 1);
    if (Character.isLetter(last) || text.contains("x") || text.contains("X")) {
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
