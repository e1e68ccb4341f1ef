package io.federa.flow.node;

import io.federa.federation.Transcript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a party's privacy transcript ({@code federa audit}): what it received from {@code
 * from} in {@code component} under one message name (iteration numbers folded into {@code #}) and
 * declared kind, how many times and how many bytes.
 */
public record AuditRow(
    int from, String component, String message, String kind, long count, long bytes) {

  /** The transcript's entries summed by sender, component, message name and kind. */
  static List<AuditRow> summarize(List<Transcript.Entry> entries) {
    Map<String, AuditRow> rows = new LinkedHashMap<>();
    for (Transcript.Entry e : entries) {
      String message = e.tag().replaceAll("\\d+", "#");
      String key = e.from() + "|" + e.component() + "|" + message + "|" + e.kind();
      rows.merge(
          key,
          new AuditRow(e.from(), e.component(), message, e.kind().name(), 1, e.bytes()),
          (a, b) ->
              new AuditRow(a.from, a.component, a.message, a.kind, a.count + 1, a.bytes + b.bytes));
    }
    return new ArrayList<>(rows.values());
  }
}
