package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The modules a Federa job may name, with the parameters each understands. A parameter of the wrong
 * type or range is an error; one Federa does not use is a warning naming it; one where Federa
 * deliberately differs from FATE (RSA intersection, keys under 2048 bits) gets its own message.
 */
final class Modules {
  private Modules() {}

  /** Checks one component's merged parameters for one party. */
  interface Spec {
    void check(
        String component,
        String role,
        int index,
        JsonNode p,
        List<Problem> errors,
        List<Problem> warnings);
  }

  /** FATE modules Federa will offer with later issues. */
  static final Set<String> PLANNED =
      Set.of(
          "HeteroSecureBoost",
          "HomoSecureBoost",
          "HeteroFeatureBinning",
          "HeteroFeatureSelection",
          "HeteroLinR",
          "HeteroPoisson",
          "HeteroSSHELR",
          "DataStatistics",
          "Union",
          "LocalBaseline");

  static final Map<String, Spec> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put(
        "Reader",
        (c, role, i, p, errors, warnings) -> {
          if (role.equals("arbiter")) {
            return;
          }
          JsonNode t = p.path("table");
          if (!t.path("name").isTextual() || !t.path("namespace").isTextual()) {
            add(
                errors,
                path(c, "table"),
                "the "
                    + role
                    + " "
                    + i
                    + " needs {\"table\": {\"name\": …, \"namespace\": …}} under component_parameters.role."
                    + role
                    + "."
                    + i
                    + "."
                    + c);
          }
          unknown(c, p, Set.of("table"), warnings);
        });
    KNOWN.put(
        "DataTransform",
        (c, role, i, p, errors, warnings) -> {
          bool(c, p, "with_label", errors);
          if (p.has("output_format")
              && !JobValidator.lower(p.get("output_format")).equals("dense")) {
            add(errors, path(c, "output_format"), "Federa reads dense tables only; set \"dense\"");
          }
          text(c, p, "label_name", errors);
          unknown(
              c, p, Set.of("with_label", "output_format", "label_name", "label_type"), warnings);
        });
    KNOWN.put(
        "FeatureScale",
        (c, role, i, p, errors, warnings) -> {
          choice(c, p, "method", Set.of("min_max_scale", "standard_scale"), errors);
          for (String unsupported :
              List.of("scale_col_indexes", "scale_names", "feat_upper", "feat_lower", "mode")) {
            if (p.has(unsupported) && !p.get(unsupported).isNull()) {
              add(
                  errors,
                  path(c, unsupported),
                  "Federa scales every feature column over its whole range; remove " + unsupported);
            }
          }
          unknown(
              c,
              p,
              Set.of(
                  "method",
                  "need_run",
                  "scale_col_indexes",
                  "scale_names",
                  "feat_upper",
                  "feat_lower",
                  "mode",
                  "with_mean",
                  "with_std"),
              warnings);
        });
    KNOWN.put(
        "Intersection",
        (c, role, i, p, errors, warnings) -> {
          if (p.has("intersect_method")
              && !JobValidator.lower(p.get("intersect_method")).equals("ecdh")) {
            add(
                warnings,
                path(c, "intersect_method"),
                "'"
                    + p.get("intersect_method").asText()
                    + "' asked; Federa intersects with ECDH-PSI on Curve25519 (RFC 9380 hashing), which"
                    + " gives each party the same result and learns no more");
          }
          bool(c, p, "sync_intersect_ids", errors);
          unknown(
              c, p, Set.of("intersect_method", "sync_intersect_ids", "only_output_key"), warnings);
        });
    Spec lr =
        (c, role, i, p, errors, warnings) -> {
          number(c, p, "learning_rate", 0, false, errors);
          number(c, p, "alpha", 0, true, errors);
          number(c, p, "tol", 0, true, errors);
          number(c, p, "decay", 0, true, errors);
          integer(c, p, "max_iter", 1, errors);
          batchSize(c, p, "full batch", errors);
          choice(c, p, "penalty", Set.of("l1", "l2", "none"), errors);
          choice(c, p, "optimizer", Set.of("sgd", "rmsprop", "adam"), errors);
          choice(c, p, "early_stop", Set.of("diff", "weight_diff"), errors);
          JsonNode bits = p.path("encrypt_param").path("key_length");
          boolean testKeys = p.path("encrypt_param").path("insecure_test_keys").asBoolean(false);
          if (!bits.isMissingNode() && !bits.isNull() && !bits.canConvertToInt()) {
            add(errors, path(c, "encrypt_param.key_length"), "must be a number of bits");
          } else if (!bits.isMissingNode() && !bits.isNull() && bits.asInt() < 2048) {
            if (testKeys && bits.asInt() >= 512) {
              add(
                  warnings,
                  path(c, "encrypt_param.key_length"),
                  bits
                      + "-bit test keys (insecure_test_keys): for tests only, never for real data");
            } else {
              add(
                  errors,
                  path(c, "encrypt_param.key_length"),
                  bits
                      + " bits is under 2048, less than"
                      + " 112-bit security; set key_length to 2048 (or more)"
                      + (testKeys ? "; test keys take at least 512 bits" : ""));
            }
          }
          if (p.path("cv_param").path("need_cv").asBoolean(false)) {
            add(
                errors,
                path(c, "cv_param.need_cv"),
                "cross-validation is not available in Federa yet; set need_cv to false");
          }
          JsonNode init = p.path("init_param").path("init_method");
          if (!init.isMissingNode() && !JobValidator.lower(init).equals("zeros")) {
            add(warnings, path(c, "init_param.init_method"), "Federa starts from zeros");
          }
          unknown(
              c,
              p,
              Set.of(
                  "learning_rate",
                  "alpha",
                  "tol",
                  "decay",
                  "max_iter",
                  "batch_size",
                  "penalty",
                  "optimizer",
                  "early_stop",
                  "encrypt_param",
                  "cv_param",
                  "init_param",
                  "multi_class",
                  "callback_param"),
              warnings);
        };
    KNOWN.put("HeteroLR", lr);
    KNOWN.put("HomoLR", homo(false));
    KNOWN.put("HomoNN", homo(true));
    KNOWN.put(
        "Evaluation",
        (c, role, i, p, errors, warnings) -> {
          choice(c, p, "eval_type", Set.of("binary", "multi", "regression"), errors);
          unknown(c, p, Set.of("eval_type", "need_run", "pos_label"), warnings);
        });
  }

  /** HomoLR and HomoNN: FATE's homo LR parameters, Federa's aggregation strategy, NN layers. */
  private static Spec homo(boolean network) {
    return (c, role, i, p, errors, warnings) -> {
      number(c, p, "learning_rate", 0, false, errors);
      number(c, p, "alpha", 0, true, errors);
      number(c, p, "mu", 0, true, errors);
      number(c, p, "server_learning_rate", 0, false, errors);
      integer(c, p, "max_iter", 1, errors);
      integer(c, p, "local_epochs", 1, errors);
      integer(c, p, "aggregate_iters", 1, errors);
      batchSize(c, p, "all local rows", errors);
      choice(c, p, "penalty", Set.of("l2", "none"), errors);
      choice(c, p, "optimizer", Set.of("sgd", "momentum", "adam"), errors);
      choice(
          c,
          p,
          "strategy",
          Set.of("fedavg", "fedprox", "fedadam", "fedyogi", "fedadagrad"),
          errors);
      if (network) {
        JsonNode layers = p.path("hidden_layers");
        boolean ok = layers.isArray() && layers.size() > 0;
        for (JsonNode l : layers) {
          ok &= l.canConvertToInt() && l.isIntegralNumber() && l.asInt() >= 1;
        }
        if (!ok) {
          add(
              errors,
              path(c, "hidden_layers"),
              "give the hidden layers' widths, e.g. [64, 32], got "
                  + (p.has("hidden_layers") ? p.get("hidden_layers") : "nothing"));
        }
        choice(c, p, "activation", Set.of("relu", "tanh", "sigmoid"), errors);
      }
      Set<String> known =
          new java.util.HashSet<>(
              Set.of(
                  "learning_rate",
                  "alpha",
                  "mu",
                  "server_learning_rate",
                  "max_iter",
                  "local_epochs",
                  "aggregate_iters",
                  "batch_size",
                  "penalty",
                  "optimizer",
                  "strategy",
                  "cv_param",
                  "init_param"));
      if (network) {
        known.addAll(Set.of("hidden_layers", "activation"));
      }
      if (p.path("cv_param").path("need_cv").asBoolean(false)) {
        add(
            errors,
            path(c, "cv_param.need_cv"),
            "cross-validation is not available in Federa yet; set need_cv to false");
      }
      unknown(c, p, known, warnings);
    };
  }

  private static String path(String component, String param) {
    return "conf.component_parameters." + component + "." + param;
  }

  static void add(List<Problem> list, String path, String message) {
    Problem p = new Problem(path, message);
    if (!list.contains(p)) {
      list.add(p);
    }
  }

  private static void unknown(String c, JsonNode p, Set<String> known, List<Problem> warnings) {
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        add(warnings, path(c, name), "Federa does not use this parameter; it is ignored");
      }
    }
  }

  private static void bool(String c, JsonNode p, String name, List<Problem> errors) {
    if (p.has(name) && !p.get(name).isBoolean()) {
      add(errors, path(c, name), "must be true or false, got " + p.get(name));
    }
  }

  private static void text(String c, JsonNode p, String name, List<Problem> errors) {
    if (p.has(name) && !p.get(name).isTextual()) {
      add(errors, path(c, name), "must be a string, got " + p.get(name));
    }
  }

  private static void integer(String c, JsonNode p, String name, int min, List<Problem> errors) {
    if (p.has(name)
        && !(p.get(name).canConvertToInt()
            && p.get(name).isIntegralNumber()
            && p.get(name).asInt() >= min)) {
      add(errors, path(c, name), "must be an integer ≥ " + min + ", got " + p.get(name));
    }
  }

  private static void number(
      String c, JsonNode p, String name, double min, boolean inclusive, List<Problem> errors) {
    if (!p.has(name)) {
      return;
    }
    JsonNode v = p.get(name);
    boolean ok = v.isNumber() && (inclusive ? v.asDouble() >= min : v.asDouble() > min);
    if (!ok) {
      add(
          errors,
          path(c, name),
          "must be a number " + (inclusive ? "≥ " : "> ") + min + ", got " + v);
    }
  }

  /** {@code batch_size}: −1 ({@code all}) or a positive integer. */
  private static void batchSize(String c, JsonNode p, String all, List<Problem> errors) {
    JsonNode b = p.get("batch_size");
    if (b != null && !(b.canConvertToInt() && (b.asInt() == -1 || b.asInt() >= 1))) {
      add(
          errors,
          path(c, "batch_size"),
          "must be -1 (" + all + ") or a positive integer, got " + b);
    }
  }

  private static void choice(
      String c, JsonNode p, String name, Set<String> values, List<Problem> errors) {
    if (p.has(name) && !values.contains(JobValidator.lower(p.get(name)))) {
      add(
          errors,
          path(c, name),
          "'" + p.get(name).asText() + "' is not supported; use one of " + values);
    }
  }
}
