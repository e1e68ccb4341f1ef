package io.federa.flow.node;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** DSL components written by tests. */
final class TestDsl {
  private TestDsl() {}

  /**
   * Adds component {@code name} of {@code module} to {@code cs}, reading {@code input}'s data
   * (none: null) and giving data, and a model when {@code model}.
   */
  static ObjectNode component(
      ObjectNode cs, String name, String module, String input, boolean model) {
    ObjectNode c = cs.putObject(name);
    c.put("module", module);
    if (input != null) {
      c.putObject("input").putObject("data").putArray("data").add(input);
    }
    ObjectNode out = c.putObject("output");
    out.putArray("data").add("data");
    if (model) {
      out.putArray("model").add("model");
    }
    return c;
  }
}
