package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The modules a Federa job may name, with the parameters each understands, read through a {@link
 * ParamReader}: a parameter of the wrong type or range is an error; one Federa does not use is a
 * warning naming it; one where Federa deliberately differs from FATE (RSA intersection, keys under
 * 2048 bits) gets its own message. The training modules' rules are {@link AlgorithmParams}', the
 * same code that builds their parameter records.
 */
final class Modules {
  private Modules() {}

  /** Checks one component's merged parameters for one party. */
  interface Spec {
    void check(ParamReader r, String role, int index);
  }

  /** FATE modules Federa will offer with later issues. */
  static final Set<String> PLANNED = Set.of("HomoSecureBoost", "HeteroSSHELR", "LocalBaseline");

  static final Map<String, Spec> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put(
        "Reader",
        (r, role, i) -> {
          r.accept("table");
          if (role.equals("arbiter")) {
            return;
          }
          JsonNode t = r.raw().path("table");
          if (!t.path("name").isTextual() || !t.path("namespace").isTextual()) {
            r.error(
                "table",
                "the "
                    + role
                    + " "
                    + i
                    + " needs {\"table\": {\"name\": …, \"namespace\": …}} under component_parameters.role."
                    + role
                    + "."
                    + i
                    + "."
                    + r.component());
          }
        });
    KNOWN.put(
        "DataTransform",
        (r, role, i) -> {
          r.bool("with_label", false);
          r.accept("output_format");
          if (r.has("output_format")
              && !JobValidator.lower(r.raw().get("output_format")).equals("dense")) {
            r.error("output_format", "Federa reads dense tables only; set \"dense\"");
          }
          r.text("label_name", "y");
          r.accept("label_type");
        });
    KNOWN.put(
        "FeatureScale",
        (r, role, i) -> {
          r.choice("method", Set.of("min_max_scale", "standard_scale"), "min_max_scale");
          for (String unsupported :
              List.of("scale_col_indexes", "scale_names", "feat_upper", "feat_lower", "mode")) {
            r.accept(unsupported);
            if (r.has(unsupported)) {
              r.error(
                  unsupported,
                  "Federa scales every feature column over its whole range; remove " + unsupported);
            }
          }
          r.accept("need_run", "with_mean", "with_std");
        });
    KNOWN.put(
        "Intersection",
        (r, role, i) -> {
          r.accept("intersect_method", "only_output_key");
          if (r.has("intersect_method")
              && !JobValidator.lower(r.raw().get("intersect_method")).equals("ecdh")) {
            r.warn(
                "intersect_method",
                "'"
                    + r.raw().get("intersect_method").asText()
                    + "' asked; Federa intersects with ECDH-PSI on Curve25519 (RFC 9380 hashing), which"
                    + " gives each party the same result and learns no more");
          }
          r.bool("sync_intersect_ids", true);
        });
    KNOWN.put("HeteroLR", (r, role, i) -> AlgorithmParams.heteroLr(r, Duration.ZERO));
    KNOWN.put(
        "HeteroLinR",
        (r, role, i) ->
            AlgorithmParams.heteroLinear(
                r, Duration.ZERO, io.federa.ml.hetero.HeteroLrParams.Objective.LINEAR));
    KNOWN.put(
        "HeteroPoisson",
        (r, role, i) -> {
          String exposure = r.text("exposure_colname", null);
          if (exposure != null && r.raw().path("cv_param").path("need_cv").asBoolean(false)) {
            r.error(
                "exposure_colname",
                "Federa's cross-validation of HeteroPoisson has no exposure column; run the folds"
                    + " without cv_param, or drop exposure_colname");
          }
          AlgorithmParams.heteroLinear(
              r, Duration.ZERO, io.federa.ml.hetero.HeteroLrParams.Objective.POISSON);
        });
    KNOWN.put("HeteroSecureBoost", (r, role, i) -> AlgorithmParams.secureBoost(r, Duration.ZERO));
    KNOWN.put("HomoLR", (r, role, i) -> AlgorithmParams.homo(r, Duration.ZERO, false, 1));
    KNOWN.put("HomoNN", (r, role, i) -> AlgorithmParams.homo(r, Duration.ZERO, true, 1));
    KNOWN.put(
        "DataStatistics",
        (r, role, i) -> {
          FeatureParams.statistics(r);
          FeatureParams.columns(r, "column_indexes", "column_names");
        });
    KNOWN.put(
        "HeteroFeatureBinning",
        (r, role, i) -> {
          FeatureParams.binning(r, Duration.ZERO);
          FeatureParams.transform(r, role);
          FeatureParams.columns(r, "bin_indexes", "bin_names");
        });
    KNOWN.put(
        "HeteroFeatureSelection",
        (r, role, i) -> {
          FeatureParams.selection(r);
          FeatureParams.columns(r, "select_col_indexes", "select_names");
        });
    KNOWN.put("Scorecard", (r, role, i) -> FeatureParams.scorecard(r));
    for (String pearson : List.of("HeteroPearson", "FeatureCorrelation")) {
      KNOWN.put(pearson, (r, role, i) -> FeatureParams.pearson(r));
    }
    KNOWN.put("HeteroDataSplit", (r, role, i) -> PrepParams.split(r));
    KNOWN.put("FederatedSample", (r, role, i) -> PrepParams.sample(r));
    KNOWN.put(
        "Union",
        (r, role, i) -> {
          r.bool("allow_missing", false);
          r.bool("keep_duplicate", false);
          r.accept("need_run");
        });
    KNOWN.put(
        "OneHotEncoder",
        (r, role, i) -> {
          FeatureParams.columns(r, "transform_col_indexes", "transform_col_names");
          r.accept("need_run", "need_alignment");
        });
    KNOWN.put("FeatureImputation", (r, role, i) -> PrepParams.imputation(r));
    KNOWN.put(
        "Evaluation",
        (r, role, i) -> {
          r.choice("eval_type", Set.of("binary", "multi", "regression"), "binary");
          r.accept("need_run", "pos_label");
        });
  }

  static void add(List<Problem> list, String path, String message) {
    Problem p = new Problem(path, message);
    if (!list.contains(p)) {
      list.add(p);
    }
  }

  /** The warning for a party given two roles: it runs both, and learns what each learns. */
  static String shared(int party, String first, String second) {
    String learns =
        Set.of(first, second).equals(Set.of("host", "arbiter"))
            ? "as arbiter it holds the key the hosts' encrypted residuals are under (hetero LR), so"
                + " as host it can read every row's residual, and with it the guest's labels; in"
                + " horizontal jobs it sees every party's update, as any arbiter does"
            : "both of its tables are its own, so no party learns more than with two parties";
    return "party "
        + party
        + " is both "
        + first
        + " and "
        + second
        + ": it runs both roles (FATE's single-machine files do this) and learns what each"
        + " learns — "
        + learns
        + "; give each role its own party for real data";
  }
}
