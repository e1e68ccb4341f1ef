package io.federa.flow.component;

import io.federa.core.table.Table;

/**
 * What a component produced at one party: a data table (or null) and this party's part of a model
 * (or null), which only this party ever holds.
 */
public record Outputs(Table data, PartyModel model) {
  public static final Outputs NONE = new Outputs(null, null);

  public static Outputs data(Table data) {
    return new Outputs(data, null);
  }
}
