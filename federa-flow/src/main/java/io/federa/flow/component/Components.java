package io.federa.flow.component;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Map;

/** The component that runs each DSL module. */
public final class Components {
  private Components() {}

  private static final Map<String, Component> BY_MODULE =
      Map.ofEntries(
          Map.entry("Reader", (Component) DataComponents::reader),
          Map.entry("DataTransform", (Component) DataComponents::dataTransform),
          Map.entry("FeatureScale", (Component) DataComponents::featureScale),
          Map.entry("Intersection", (Component) DataComponents::intersection),
          Map.entry("HeteroLR", (Component) ModelComponents::heteroLr),
          Map.entry("HeteroSecureBoost", (Component) SecureBoostComponent::run),
          Map.entry("HomoLR", (Component) HomoComponents::homoLr),
          Map.entry("HomoNN", (Component) HomoComponents::homoNn),
          Map.entry("Evaluation", (Component) EvaluationComponent::run),
          Map.entry("DataStatistics", (Component) FeatureComponents::statistics),
          Map.entry("HeteroFeatureBinning", (Component) FeatureComponents::binning),
          Map.entry("HeteroFeatureSelection", (Component) SelectionComponent::run),
          Map.entry("Scorecard", (Component) ScorecardComponent::run),
          Map.entry("HeteroLinR", (Component) ModelComponents::heteroLinR),
          Map.entry("HeteroPoisson", (Component) ModelComponents::heteroPoisson),
          Map.entry("HeteroPearson", (Component) CorrelationComponent::run),
          Map.entry("FeatureCorrelation", (Component) CorrelationComponent::run),
          Map.entry("HeteroDataSplit", (Component) PrepComponents::dataSplit),
          Map.entry("FederatedSample", (Component) PrepComponents::sample),
          Map.entry("Union", (Component) PrepComponents::union),
          Map.entry("OneHotEncoder", (Component) ColumnComponents::oneHot),
          Map.entry("FeatureImputation", (Component) ColumnComponents::imputation));

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
