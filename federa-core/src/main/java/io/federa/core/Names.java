package io.federa.core;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one allow-list for every id and name that becomes part of a file name or a path on a node:
 * job ids, component names, table namespaces and names, model ids and versions. 1 to 128 letters,
 * digits, '_', '-' and '.', starting with a letter, digit or '_' — so never {@code .}, {@code ..},
 * a separator, NUL or an option-like {@code -x}. Anything else is refused with the rule, never
 * resolved.
 */
public final class Names {
  /** Longest id or name. */
  public static final int MAX = 128;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0," + (MAX - 1) + "}");

  private Names() {}

  /** Whether {@code value} is a valid id or name. */
  public static boolean valid(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  /**
   * Returns {@code value} if it is a valid id or name, else throws {@code INVALID_ARGUMENT} naming
   * {@code what} and the rule (the value is shown only in part, escaped, so a path or a file's
   * content never travels back whole).
   */
  public static String require(String what, String value) {
    if (!valid(value)) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              what
                  + " "
                  + shown(value)
                  + " is not valid: use 1 to "
                  + MAX
                  + " letters, digits, '_', '-' or '.', starting with a letter, digit or '_'")
          .shareable();
    }
    return value;
  }

  /**
   * {@code base} resolved with each of {@code names} (each checked by {@link #require}) and the
   * suffix; the result is checked to be under {@code base} as well.
   */
  public static Path resolve(Path base, String what, String name, String suffix) {
    Path p = base.resolve(require(what, name) + suffix).normalize();
    if (!p.startsWith(base.normalize())) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT, what + " " + shown(name) + " leads outside " + base)
          .shareable();
    }
    return p;
  }

  /** A value as an error message may show it: at most 40 characters, control characters escaped. */
  public static String shown(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(value.length(), 40);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (value.length() > n) {
      sb.append("…(").append(value.length()).append(" characters)");
    }
    return sb.append("'").toString();
  }
}
