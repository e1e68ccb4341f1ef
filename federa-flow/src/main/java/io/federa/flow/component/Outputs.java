package io.federa.flow.component;

import io.federa.core.table.Table;
import java.util.Map;

/**
 * What a component produced at one party: a data table (or null), this party's part of a model (or
 * null), which only this party ever holds, and further named tables (HeteroDataSplit's {@code
 * train_data}, {@code validate_data}, {@code test_data}), which the DSL names as {@code
 * component.name}.
 */
public record Outputs(Table data, PartyModel model, Map<String, Table> named) {
  public static final Outputs NONE = new Outputs(null, null);

  public Outputs {
    named = Map.copyOf(named);
  }

  public Outputs(Table data, PartyModel model) {
    this(data, model, Map.of());
  }

  public static Outputs data(Table data) {
    return new Outputs(data, null);
  }

  /** The output a DSL reference {@code component.name} means: a named table, else the data. */
  public Outputs select(String name) {
    Table t = named.get(name);
    return t == null ? this : data(t);
  }
}
