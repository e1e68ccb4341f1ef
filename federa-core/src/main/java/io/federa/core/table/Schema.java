package io.federa.core.table;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The names of a table's columns: the id column, the label column if the table has labels, and the
 * feature columns in their stored order.
 *
 * @param idName name of the id column
 * @param labelName name of the label column, or {@code null} when the table has no label
 * @param featureNames feature names, unique, in column order
 */
public record Schema(String idName, String labelName, List<String> featureNames) {
  public Schema {
    Objects.requireNonNull(idName, "idName");
    featureNames = List.copyOf(featureNames);
    var seen = new HashSet<String>();
    for (String name : featureNames) {
      if (!seen.add(name)) {
        throw new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "feature name '" + name + "' appears twice; give every column a unique name");
      }
    }
  }

  public Optional<String> label() {
    return Optional.ofNullable(labelName);
  }

  public boolean hasLabel() {
    return labelName != null;
  }

  public int features() {
    return featureNames.size();
  }

  /** Index of a feature by name, or -1. */
  public int indexOf(String featureName) {
    return featureNames.indexOf(featureName);
  }
}
