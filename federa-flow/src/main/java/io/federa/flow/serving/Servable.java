package io.federa.flow.serving;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.flow.component.PartyModel;
import io.federa.flow.node.ModelRegistry;
import io.federa.ml.hetero.HeteroLrParams;
import io.federa.ml.linear.Standardization;
import java.util.List;

/**
 * One party's servable part of a model version: the transforms its predict job would apply to its
 * own columns (FeatureScale's statistics) and its part of the model (hetero LR's guest or host
 * part, or a horizontal model, which one party serves alone), so that a served row gets exactly the
 * batch prediction's numbers. Parts that change no column at predict time (statistics, selection,
 * which the model's feature names already apply, evaluation) are passed over; a version with a
 * transform serving does not apply yet is refused at deploy, naming the component.
 */
final class Servable {
  private final String modelId;
  private final String version;
  private final PartyModel.Scale scale;
  private final PartyModel model;
  private final String module;
  private final List<String> inputs;
  private final List<ModelRegistry.Part> parts;

  private Servable(
      String modelId,
      String version,
      PartyModel.Scale scale,
      PartyModel model,
      String module,
      List<ModelRegistry.Part> parts) {
    this.parts = List.copyOf(parts);
    this.modelId = modelId;
    this.version = version;
    this.scale = scale;
    this.model = model;
    this.module = module;
    this.inputs = scale != null ? scale.features() : features(model);
  }

  /** This party's servable part of {@code modelId} version {@code version}, from its registry. */
  static Servable of(ModelRegistry registry, int self, String modelId, String version) {
    return of(self, modelId, version, registry.version(modelId, version));
  }

  /**
   * The servable part made of a version's registered {@code parts} (as a serving instance gets).
   */
  static Servable of(int self, String modelId, String version, List<ModelRegistry.Part> parts) {
    PartyModel.Scale scale = null;
    PartyModel model = null;
    String module = null;
    for (ModelRegistry.Part p : parts) {
      String where = "component " + p.registered().component() + " (" + p.registered().module();
      PartyModel part = p.model();
      if (part instanceof PartyModel.Scale s) {
        if (scale != null) {
          throw refuse(where + "): a second FeatureScale");
        }
        scale = s;
      } else if (part instanceof PartyModel.HeteroLrGuest
          || part instanceof PartyModel.HeteroLrHost
          || part instanceof PartyModel.SecureBoostGuest
          || part instanceof PartyModel.SecureBoostHost) {
        if (part instanceof PartyModel.HeteroLrGuest g && g.exposure() != null) {
          throw refuse(where + "): HeteroPoisson's exposure column");
        }
        if (model != null) {
          throw refuse(where + "): a second model in one version");
        }
        model = part;
        module = p.registered().module();
      } else if (part instanceof PartyModel.Homo h) {
        if (h.features() == null) {
          throw refuse(
              where + "): a horizontal model stored without its feature names (train it again)");
        }
        if (model != null) {
          throw refuse(where + "): a second model in one version");
        }
        model = part;
        module = p.registered().module();
      } else if (part instanceof PartyModel.Binning b) {
        if (!b.transformType().equals("none") && !b.transformed().isEmpty()) {
          throw refuse(where + "): its " + b.transformType() + " transform");
        }
      } else if (!(part instanceof PartyModel.Statistics
          || part instanceof PartyModel.Selection
          || part instanceof PartyModel.Scorecard
          || part instanceof PartyModel.Correlation)) {
        // one-hot encoding, imputation
        throw refuse(where + ")");
      }
    }
    if (model == null) {
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
    if (scale != null && !scale.features().containsAll(features(model))) {
      throw refuse("its FeatureScale, which does not cover the model's features");
    }
    return new Servable(modelId, version, scale, model, module, parts);
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
   * The model's input rows from raw columns in {@link #inputs()} order: scaled as trained, then the
   * model's own features in its order.
   */
  Table prepare(String[] ids, double[][] raw) {
    Table t = new Table(new Schema("id", null, inputs), ids, null, raw);
    if (scale != null) {
      t = new Standardization(scale.shift(), scale.scale()).apply(t);
    }
    List<String> names = features(model);
    if (names.equals(inputs) && !zeroAsMissing()) {
      return t;
    }
    double[][] columns = new double[names.size()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = t.column(inputs.indexOf(names.get(j)));
      if (zeroAsMissing()) { // as the predict job reads its rows
        columns[j] = columns[j].clone();
        for (int i = 0; i < columns[j].length; i++) {
          columns[j][i] = columns[j][i] == 0 ? Double.NaN : columns[j][i];
        }
      }
    }
    return new Table(new Schema("id", null, names), ids, null, columns);
  }
}
