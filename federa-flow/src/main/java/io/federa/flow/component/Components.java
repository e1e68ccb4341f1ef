package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Map;

/** The component that runs each DSL module. */
public final class Components {
  private Components() {}

  private static final Map<String, Component> BY_MODULE =
      Map.of(
          "Reader", DataComponents::reader,
          "DataTransform", DataComponents::dataTransform,
          "FeatureScale", DataComponents::featureScale,
          "Intersection", DataComponents::intersection,
          "HeteroLR", ModelComponents::heteroLr,
          "HeteroSecureBoost", SecureBoostComponent::run,
          "HomoLR", HomoComponents::homoLr,
          "HomoNN", HomoComponents::homoNn,
          "Evaluation", ModelComponents::evaluation);

  public static Component of(String module) {
    Component c = BY_MODULE.get(module);
    if (c == null) {
      throw new FederaException(
              ErrorCode.INVALID_ARGUMENT,
              "module " + module + " cannot run on this node yet; see 'federa job validate'")
          .shareable();
    }
    return c;
  }
}
