package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One component's parameters, read with the rule of each as it is read: its type, its range, its
 * choices and its default. A module's parameter rules are written once, as the code that reads them
 * into the algorithm's parameter record ({@link AlgorithmParams}); the validator runs that code
 * with a collecting reader (every problem is gathered, a bad value reads as its default so the rest
 * can be checked), a component with a strict one (the first problem throws).
 */
public final class ParamReader {
  private final String component;
  private final String path;
  private final JsonNode p;
  private final List<Problem> errors;
  private final List<Problem> warnings;
  private final Set<String> known = new HashSet<>();

  private ParamReader(
      String component, String path, JsonNode p, List<Problem> errors, List<Problem> warnings) {
    this.component = component;
    this.path = path;
    this.p = p == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : p;
    this.errors = errors;
    this.warnings = warnings;
  }

  /** A reader that throws {@code INVALID_INPUT} at the first problem (a component's). */
  public static ParamReader strict(String component, JsonNode p) {
    return new ParamReader(component, prefix(component), p, null, null);
  }

  /** A reader that adds every problem to {@code errors} or {@code warnings} (the validator's). */
  static ParamReader collecting(
      String component, JsonNode p, List<Problem> errors, List<Problem> warnings) {
    return new ParamReader(component, prefix(component), p, errors, warnings);
  }

  private static String prefix(String component) {
    return "conf.component_parameters." + component;
  }

  /** The component's name in the DSL. */
  public String component() {
    return component;
  }

  /** The parameters as given (for a rule over several of them). */
  public JsonNode raw() {
    return p;
  }

  /** Whether {@code name} is given (not null). */
  public boolean has(String name) {
    return p.has(name) && !p.get(name).isNull();
  }

  /** An integer in [{@code min}, {@code max}]. */
  public int integer(String name, int min, int max, int dflt) {
    known.add(name);
    if (!has(name)) {
      return dflt;
    }
    JsonNode v = p.get(name);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      String range = max == Integer.MAX_VALUE ? "≥ " + min : "from " + min + " to " + max;
      error(name, "must be an integer " + range + ", got " + v);
      return dflt;
    }
    return v.asInt();
  }

  /** A number above {@code min} (or at it, if {@code inclusive}). */
  public double number(String name, double min, boolean inclusive, double dflt) {
    known.add(name);
    if (!has(name)) {
      return dflt;
    }
    JsonNode v = p.get(name);
    double x = v.asDouble();
    boolean ok = v.isNumber() && Double.isFinite(x) && (inclusive ? x >= min : x > min);
    if (!ok) {
      error(name, "must be a number " + (inclusive ? "≥ " : "> ") + min + ", got " + v);
      return dflt;
    }
    return x;
  }

  public boolean bool(String name, boolean dflt) {
    known.add(name);
    if (!has(name)) {
      return dflt;
    }
    if (!p.get(name).isBoolean()) {
      error(name, "must be true or false, got " + p.get(name));
      return dflt;
    }
    return p.get(name).asBoolean();
  }

  public String text(String name, String dflt) {
    known.add(name);
    if (!has(name)) {
      return dflt;
    }
    if (!p.get(name).isTextual()) {
      error(name, "must be a string, got " + p.get(name));
      return dflt;
    }
    return p.get(name).asText();
  }

  /** One of {@code values} (lower case; the value is compared in lower case), in lower case. */
  public String choice(String name, Set<String> values, String dflt) {
    known.add(name);
    if (!has(name)) {
      return dflt;
    }
    String v = JobValidator.lower(p.get(name));
    if (!values.contains(v)) {
      error(
          name,
          "'"
              + p.get(name).asText()
              + "' is not supported; use one of "
              + new java.util.TreeSet<>(values));
      return dflt;
    }
    return v;
  }

  /** {@code batch_size}: −1 ({@code all}) or a positive integer. */
  public int batchSize(String all, int dflt) {
    String name = "batch_size";
    known.add(name);
    if (!has(name)) {
      return dflt;
    }
    JsonNode b = p.get(name);
    if (!(b.isIntegralNumber() && b.canConvertToInt() && (b.asInt() == -1 || b.asInt() >= 1))) {
      error(name, "must be -1 (" + all + ") or a positive integer, got " + b);
      return dflt;
    }
    return b.asInt();
  }

  /** A non-empty list of positive integers, e.g. layer widths. */
  public int[] positiveIntegers(String name, String what) {
    known.add(name);
    JsonNode list = p.path(name);
    boolean ok = list.isArray() && list.size() > 0;
    for (JsonNode l : list) {
      ok &= l.isIntegralNumber() && l.canConvertToInt() && l.asInt() >= 1;
    }
    if (!ok) {
      error(name, "give " + what + ", got " + (p.has(name) ? p.get(name) : "nothing"));
      return new int[] {1};
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asInt();
    }
    return out;
  }

  /**
   * A list of strings (a single string reads as a list of one; null or absent: {@code dflt}), e.g.
   * column names.
   */
  public List<String> strings(String name, List<String> dflt) {
    known.add(name);
    JsonNode v = p.path(name);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        break;
      }
      out.add(e.asText());
    }
    if (!v.isArray() || out.size() != v.size()) {
      error(name, "give a list of strings, got " + v);
      return dflt;
    }
    return out;
  }

  /**
   * FATE's column indexes: {@code -1} (every column: null), a list of indexes ≥ 0, or absent or
   * null ({@code dflt}: null for every column, an empty list for none).
   */
  public List<Integer> indexes(String name, List<Integer> dflt) {
    known.add(name);
    JsonNode v = p.path(name);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (v.isIntegralNumber() && v.asInt() == -1) {
      return null;
    }
    List<Integer> out = new java.util.ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0) {
        break;
      }
      out.add(e.asInt());
    }
    if (!v.isArray() || out.size() != v.size()) {
      error(name, "give -1 (every column) or a list of column indexes from 0, got " + v);
      return dflt;
    }
    return out;
  }

  /** The parameters nested under {@code name} (e.g. {@code encrypt_param}), read the same way. */
  public ParamReader object(String name) {
    known.add(name);
    return new ParamReader(component, path + "." + name, p.path(name), errors, warnings);
  }

  /** Names this module accepts and does not read (FATE's that change nothing here). */
  public void accept(String... names) {
    known.addAll(List.of(names));
  }

  /** A problem with {@code name}: thrown by a strict reader, gathered by a collecting one. */
  public void error(String name, String message) {
    if (errors == null) {
      throw new FederaException(
              ErrorCode.INVALID_INPUT, new Problem(path + "." + name, message).toString())
          .shareable();
    }
    Modules.add(errors, path + "." + name, message);
  }

  /** A warning about {@code name} (a strict reader has already validated: it ignores them). */
  public void warn(String name, String message) {
    if (warnings != null) {
      Modules.add(warnings, path + "." + name, message);
    }
  }

  /** A warning for every given parameter that was neither read nor accepted. */
  void warnUnknown() {
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        warn(name, "Federa does not use this parameter; it is ignored");
      }
    }
  }
}
