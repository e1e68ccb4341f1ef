package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.flow.component.PartyModel;
import io.federa.flow.component.RowTransforms;
import io.federa.flow.node.ModelRegistry;
import io.federa.ml.hetero.HeteroLrParams;
import java.util.ArrayList;
import java.util.List;

/**
 * One party's servable part of a model version: the transforms its predict job would apply to its
 * own columns and its part of the model (hetero LR's guest or host part, SecureBoost's, or a
 * horizontal model, which one party serves alone), so that a served row gets exactly the batch
 * prediction's numbers. The transforms are the parts on the model's data path, in run order ({@link
 * RowTransforms}: FeatureScale, a binning's bin-index or WOE transform, one-hot encoding,
 * imputation); parts that change no column (statistics, selection, which the model's feature names
 * already apply, scorecard, correlation) are passed over; any other part on the path is refused at
 * deploy, naming the component.
 */
final class Servable {
  private final String modelId;
  private final String version;
  private final List<PartyModel> transforms;
  private final PartyModel model;
  private final PartyModel.Scorecard scorecard;
  private final String module;
  private final List<String> inputs;
  private final List<ModelRegistry.Part> parts;

  private Servable(
      String modelId,
      String version,
      List<PartyModel> transforms,
      PartyModel model,
      PartyModel.Scorecard scorecard,
      String module,
      List<ModelRegistry.Part> parts) {
    this.parts = List.copyOf(parts);
    this.modelId = modelId;
    this.version = version;
    this.transforms = List.copyOf(transforms);
    this.model = model;
    this.scorecard = scorecard;
    this.module = module;
    List<String> needed = features(model);
    for (int k = transforms.size() - 1; k >= 0; k--) {
      needed = RowTransforms.inputs(transforms.get(k), needed);
    }
    this.inputs = List.copyOf(needed);
  }

  /** This party's servable part of {@code modelId} version {@code version}, from its registry. */
  static Servable of(ModelRegistry registry, int self, String modelId, String version) {
    return of(self, modelId, version, registry.version(modelId, version));
  }

  /**
   * The servable part made of a version's registered {@code parts} (as a serving instance gets).
   */
  static Servable of(int self, String modelId, String version, List<ModelRegistry.Part> parts) {
    ModelRegistry.Part modelPart = null;
    for (ModelRegistry.Part p : parts) {
      PartyModel part = p.model();
      if (servedModel(part)) {
        String where = where(p);
        if (part instanceof PartyModel.HeteroLrGuest g && g.exposure() != null) {
          throw refuse(where + "): HeteroPoisson's exposure column");
        }
        if (part instanceof PartyModel.Homo h && h.features() == null) {
          throw refuse(
              where + "): a horizontal model stored without its feature names (train it again)");
        }
        if (modelPart != null) {
          throw refuse(where + "): a second model in one version");
        }
        modelPart = p;
      }
    }
    if (modelPart == null) {
      throw new FederaException(
              ErrorCode.NOT_FOUND,
              "party "
                  + self
                  + " holds no servable part of model "
                  + modelId
                  + " version "
                  + version
                  + "; 'federa model list' shows its models (train it, or import it with"
                  + " 'federa model import')")
          .shareable();
    }
    List<PartyModel> transforms =
        modelPart.dataPath() != null ? onPath(modelPart, parts) : storedBeforePaths(parts);
    var servable =
        new Servable(
            modelId,
            version,
            transforms,
            modelPart.model(),
            scorecardOf(modelPart, parts),
            modelPart.registered().module(),
            parts);
    try { // the pipeline must give the model its features: a dry run on no rows
      servable.prepare(new String[0], new double[servable.inputs.size()][0]);
    } catch (RuntimeException e) {
      throw refuse(
          "its pipeline, which does not give the model its features (" + e.getMessage() + ")");
    }
    return servable;
  }

  /** The Scorecard that turns the model's scores into credit scores (null: none in the version). */
  private static PartyModel.Scorecard scorecardOf(
      ModelRegistry.Part modelPart, List<ModelRegistry.Part> parts) {
    for (ModelRegistry.Part p : parts) {
      if (p.model() instanceof PartyModel.Scorecard card
          && p.dataPath() != null
          && p.dataPath().contains(modelPart.registered().component())) {
        return card;
      }
    }
    return null;
  }

  /** The credit score of a served score, as the version's Scorecard gives it (null: none). */
  Double creditScore(double score) {
    return scorecard == null ? null : scorecard.creditScore(score);
  }

  /** The parts on the model's data path that rewrite rows, in run order. */
  private static List<PartyModel> onPath(
      ModelRegistry.Part modelPart, List<ModelRegistry.Part> parts) {
    List<PartyModel> transforms = new ArrayList<>();
    for (String component : modelPart.dataPath()) {
      for (ModelRegistry.Part p : parts) {
        if (!p.registered().component().equals(component)) {
          continue;
        }
        if (RowTransforms.rewritesRows(p.model())) {
          transforms.add(p.model());
        } else if (!passedOver(p.model())) {
          throw refuse(where(p) + ")");
        }
      }
    }
    return transforms;
  }

  /**
   * A version stored before parts recorded their data path: its FeatureScale, if any, and no other
   * transform.
   */
  private static List<PartyModel> storedBeforePaths(List<ModelRegistry.Part> parts) {
    List<PartyModel> transforms = new ArrayList<>();
    for (ModelRegistry.Part p : parts) {
      PartyModel part = p.model();
      if (part instanceof PartyModel.Scale) {
        if (!transforms.isEmpty()) {
          throw refuse(where(p) + "): a second FeatureScale");
        }
        transforms.add(part);
      } else if (RowTransforms.rewritesRows(part)) {
        throw refuse(where(p) + ") in a version stored without its data path (train it again)");
      } else if (!passedOver(part) && !servedModel(part)) {
        throw refuse(where(p) + ")");
      }
    }
    return transforms;
  }

  private static boolean passedOver(PartyModel part) {
    return part instanceof PartyModel.Statistics
        || part instanceof PartyModel.Selection
        || part instanceof PartyModel.Scorecard
        || part instanceof PartyModel.Correlation
        || part instanceof PartyModel.Binning;
  }

  private static boolean servedModel(PartyModel part) {
    return part instanceof PartyModel.HeteroLrGuest
        || part instanceof PartyModel.HeteroLrHost
        || part instanceof PartyModel.SecureBoostGuest
        || part instanceof PartyModel.SecureBoostHost
        || part instanceof PartyModel.Homo;
  }

  private static String where(ModelRegistry.Part p) {
    return "component " + p.registered().component() + " (" + p.registered().module();
  }

  /** The registered parts this servable part was made of. */
  List<ModelRegistry.Part> parts() {
    return parts;
  }

  private static FederaException refuse(String what) {
    return new FederaException(
            ErrorCode.INVALID_ARGUMENT,
            "serving cannot apply "
                + what
                + " yet; serve a model version whose pipeline has none (see docs/serving.md)")
        .shareable();
  }

  private static List<String> features(PartyModel model) {
    if (model instanceof PartyModel.HeteroLrGuest g) {
      return g.features();
    }
    if (model instanceof PartyModel.SecureBoostGuest g) {
      return g.features();
    }
    if (model instanceof PartyModel.SecureBoostHost h) {
      return h.features();
    }
    return model instanceof PartyModel.Homo h
        ? h.features()
        : ((PartyModel.HeteroLrHost) model).features();
  }

  String modelId() {
    return modelId;
  }

  String version() {
    return version;
  }

  /** The raw columns this party needs, by name and in this order. */
  List<String> inputs() {
    return inputs;
  }

  PartyModel model() {
    return model;
  }

  /** Whether the model walks trees (SecureBoost), which routes missing values. */
  boolean trees() {
    return model instanceof PartyModel.SecureBoostGuest
        || model instanceof PartyModel.SecureBoostHost;
  }

  /** SecureBoost trained with {@code zero_as_missing}: a zero is read as missing. */
  private boolean zeroAsMissing() {
    return model instanceof PartyModel.SecureBoostGuest g && g.zeroAsMissing()
        || model instanceof PartyModel.SecureBoostHost h && h.zeroAsMissing();
  }

  /** Whether one party answers alone (a horizontal model), with no host. */
  boolean alone() {
    return model instanceof PartyModel.Homo;
  }

  /** The objective of a hetero linear model's module. */
  HeteroLrParams.Objective objective() {
    return "HeteroLinR".equals(module)
        ? HeteroLrParams.Objective.LINEAR
        : HeteroLrParams.Objective.LOGISTIC;
  }

  /**
   * The model's input rows from raw columns in {@link #inputs()} order: through the pipeline's
   * transforms as trained, then the model's own features in its order.
   */
  Table prepare(String[] ids, double[][] raw) {
    Table t = new Table(new Schema("id", null, inputs), ids, null, raw);
    for (PartyModel transform : transforms) {
      t = RowTransforms.apply(transform, t);
    }
    List<String> names = features(model);
    List<String> have = t.schema().featureNames();
    if (names.equals(have) && !zeroAsMissing()) {
      return t;
    }
    double[][] columns = new double[names.size()][];
    for (int j = 0; j < columns.length; j++) {
      int at = have.indexOf(names.get(j));
      if (at < 0) {
        throw new IllegalArgumentException("no column '" + names.get(j) + "'");
      }
      columns[j] = t.column(at);
      if (zeroAsMissing()) { // as the predict job reads its rows
        columns[j] = columns[j].clone();
        for (int i = 0; i < columns[j].length; i++) {
          columns[j][i] = columns[j][i] == 0 ? Double.NaN : columns[j][i];
        }
      }
    }
    return new Table(new Schema("id", null, names), ids, null, columns);
  }

  /** Whether a missing raw value can be served: trees route it, an imputation fills it. */
  boolean acceptsMissing() {
    return trees() || transforms.stream().anyMatch(t -> t instanceof PartyModel.Imputation);
  }
}
