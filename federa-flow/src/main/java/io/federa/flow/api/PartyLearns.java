package io.federa.flow.api;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The "What each party learns" text of a module, read from the project's docs (packed into the jar)
 * so that the board's privacy view shows exactly what the documentation says, from one source.
 */
final class PartyLearns {
  private PartyLearns() {}

  /** Where a module's text is: a doc and the heading of the module's section in it (null: all). */
  record Where(String doc, String section) {}

  private static final Where LINEAR = new Where("vertical-fl.md", "## 2. Hetero logistic");
  private static final Where HOMO = new Where("horizontal-fl.md", null);
  private static final Where PEARSON = new Where("feature-engineering.md", "## HeteroPearson");
  private static final Where PREP = new Where("feature-engineering.md", "## Data preparation");

  static final Map<String, Where> WHERE =
      Map.ofEntries(
          Map.entry("Intersection", new Where("vertical-fl.md", "## 1. Private set intersection")),
          Map.entry("HeteroLR", LINEAR),
          Map.entry("HeteroLinR", LINEAR),
          Map.entry("HeteroPoisson", LINEAR),
          Map.entry("HeteroSecureBoost", new Where("secureboost.md", null)),
          Map.entry("HomoLR", HOMO),
          Map.entry("HomoNN", HOMO),
          Map.entry("DataStatistics", new Where("feature-engineering.md", "## DataStatistics")),
          Map.entry(
              "HeteroFeatureBinning",
              new Where("feature-engineering.md", "## HeteroFeatureBinning")),
          Map.entry(
              "HeteroFeatureSelection",
              new Where("feature-engineering.md", "## HeteroFeatureSelection")),
          Map.entry("HeteroPearson", PEARSON),
          Map.entry("FeatureCorrelation", PEARSON),
          Map.entry("HeteroDataSplit", PREP),
          Map.entry("FederatedSample", PREP),
          Map.entry("Union", PREP),
          Map.entry("OneHotEncoder", PREP),
          Map.entry("FeatureImputation", PREP));

  /** A module's text (module {@code flow}: what every job shares), with its source. */
  record Text(String module, String doc, String text) {}

  /** The module's text; none for a module that exchanges nothing of its own (Reader, …). */
  static List<Text> of(String module) {
    if (module.equals("flow")) {
      return List.of(new Text("flow", "flow.md", section(read("flow.md"), null)));
    }
    Where w = WHERE.get(module);
    return w == null
        ? List.of()
        : List.of(new Text(module, w.doc(), section(read(w.doc()), w.section())));
  }

  private static List<String> read(String doc) {
    try (InputStream in =
        PartyLearns.class.getResourceAsStream("/io/federa/flow/board/docs/" + doc)) {
      if (in == null) {
        throw new FederaException(ErrorCode.INTERNAL, "the jar lacks docs/" + doc);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new FederaException(ErrorCode.INTERNAL, "cannot read docs/" + doc, e);
    }
  }

  /**
   * The "What each party learns" part of the section that starts with {@code heading} (null: the
   * whole doc): a heading of that name and what follows it up to the next heading of its level or
   * higher, or a bold paragraph of that name and the lines that continue it.
   */
  static String section(List<String> doc, String heading) {
    List<String> lines = withoutCodeHeadings(doc);
    int from = 0;
    int to = lines.size();
    if (heading != null) {
      from = find(lines, 0, to, l -> l.startsWith(heading));
      if (from < 0) {
        throw new FederaException(ErrorCode.INTERNAL, "the docs lack the section " + heading);
      }
      to = end(lines, from);
    }
    int at = find(lines, from, to, l -> l.contains("What each party learns"));
    if (at < 0) {
      throw new FederaException(
          ErrorCode.INTERNAL, "the docs lack 'What each party learns' under " + heading);
    }
    int stop;
    if (level(lines.get(at)) > 0) {
      stop = Math.min(to, end(lines, at));
      at++;
    } else {
      stop = at + 1;
      while (stop < to && !(lines.get(stop).isBlank() && paragraphEnds(lines, stop + 1, to))) {
        stop++;
      }
    }
    return String.join("\n", doc.subList(at, stop)).strip();
  }

  /** The lines with those inside fenced code blocks blanked (a shell comment is no heading). */
  private static List<String> withoutCodeHeadings(List<String> doc) {
    List<String> out = new java.util.ArrayList<>(doc.size());
    boolean code = false;
    for (String l : doc) {
      if (l.startsWith("```")) {
        code = !code;
      }
      out.add(code ? "" : l);
    }
    return out;
  }

  private static boolean paragraphEnds(List<String> lines, int next, int to) {
    return next >= to || !(lines.get(next).startsWith("-") || lines.get(next).startsWith("|"));
  }

  private static int find(
      List<String> lines, int from, int to, java.util.function.Predicate<String> p) {
    for (int i = from; i < to; i++) {
      if (p.test(lines.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The line after the section that starts at {@code at} (a heading). */
  private static int end(List<String> lines, int at) {
    int level = level(lines.get(at));
    for (int i = at + 1; i < lines.size(); i++) {
      int l = level(lines.get(i));
      if (l > 0 && l <= level) {
        return i;
      }
    }
    return lines.size();
  }

  private static int level(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == '#') {
      n++;
    }
    return n > 0 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
  }
}
