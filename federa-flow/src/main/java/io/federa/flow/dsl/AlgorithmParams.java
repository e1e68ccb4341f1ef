package io.federa.flow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.FederaException;
import io.federa.crypto.he.HeParameters;
import io.federa.crypto.he.HeScheme;
import io.federa.ml.hetero.HeteroLrParams;
import io.federa.ml.homo.HomoParams;
import io.federa.ml.homo.Mlp;
import io.federa.ml.homo.ServerOptimizer;
import io.federa.ml.secureboost.EarlyStopping;
import io.federa.ml.secureboost.SecureBoostParams;
import io.federa.ml.tree.GbdtParams;
import io.federa.ml.tree.QuantileBinning;
import io.federa.ml.tree.RowSampling;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The training modules' parameters, FATE's names read into Federa's parameter records: the one
 * place their rules live. The validator runs these with a collecting {@link ParamReader}, the
 * components with a strict one, so what a job is checked against and what it runs with cannot drift
 * apart. (The records keep their own invariants for callers of the library without flow.)
 */
public final class AlgorithmParams {
  private AlgorithmParams() {}

  /** HeteroLR. */
  public static HeteroLrParams heteroLr(ParamReader r, Duration timeout) {
    return heteroLinear(r, timeout, HeteroLrParams.Objective.LOGISTIC);
  }

  /** HeteroLR's parameters, or HeteroLinR's ({@code LINEAR}): the same names and rules. */
  public static HeteroLrParams heteroLinear(
      ParamReader r, Duration timeout, HeteroLrParams.Objective objective) {
    HeteroLrParams d = HeteroLrParams.defaults();
    int maxIter = r.integer("max_iter", 1, Integer.MAX_VALUE, d.maxIter());
    double learningRate = r.number("learning_rate", 0, false, d.learningRate());
    double decay = r.number("decay", 0, true, d.decay());
    double alpha = r.number("alpha", 0, true, d.alpha());
    double tol = r.number("tol", 0, true, d.tol());
    int batch = r.batchSize("full batch", -1);
    String penalty = r.choice("penalty", Set.of("l1", "l2", "none"), "l2");
    // Federa's default is full-batch L-BFGS (no learning rate to tune); mini-batches and L1 get
    // Adam
    String optimizer =
        r.choice(
            "optimizer",
            Set.of("sgd", "nesterov_momentum_sgd", "rmsprop", "adam", "lbfgs"),
            batch == -1 && !penalty.equals("l1") ? "lbfgs" : "adam");
    String earlyStop = r.choice("early_stop", Set.of("diff", "weight_diff"), "diff");
    HeParameters key = key(r, d.key().modulusBits());
    crossValidation(r);
    if (r.raw().path("init_param").has("init_method")
        && !JobValidator.lower(r.raw().path("init_param").path("init_method")).equals("zeros")) {
      r.warn("init_param.init_method", "Federa starts from zeros");
    }
    r.accept("init_param", "multi_class", "callback_param");
    // Federa's own: each party trains on its columns as z-scores (the model in original units)
    boolean standardize = r.bool("standardize", true);
    // Federa's own: σ(z) − y exact through the arbiter, or FATE's Taylor expansion at 0
    String sigmoid =
        objective == HeteroLrParams.Objective.LOGISTIC
            ? r.choice("sigmoid", Set.of("auto", "exact", "taylor"), "auto")
            : "auto";
    return new HeteroLrParams(
        maxIter,
        learningRate,
        decay,
        alpha,
        tol,
        HeteroLrParams.Optimizer.valueOf(upper(optimizer)),
        key,
        timeout,
        HeteroLrParams.Penalty.valueOf(upper(penalty)),
        batch,
        earlyStop.equals("weight_diff")
            ? HeteroLrParams.Convergence.WEIGHT_DIFF
            : HeteroLrParams.Convergence.LOSS,
        objective,
        standardize,
        HeteroLrParams.Sigmoid.valueOf(upper(sigmoid)));
  }

  /**
   * HomoLR ({@code network} false) and HomoNN: FATE's homo LR parameters, Federa's aggregation
   * strategy, the network's layers; {@code rows}: the party's local rows ({@code batch_size} −1).
   */
  public static HomoParams homo(ParamReader r, Duration timeout, boolean network, int rows) {
    HomoParams d = HomoParams.defaults();
    // Federa's default for homo LR is the arbiter's L-BFGS on the parties' full-batch gradients
    // (the centralized optimum, no learning rate); a conf that sets FATE's local-training knobs,
    // and HomoNN, average locally trained models
    boolean localKnobs =
        r.raw().has("optimizer")
            || r.raw().has("aggregate_iters")
            || r.raw().has("local_epochs")
            || r.raw().has("learning_rate")
            || r.raw().has("batch_size");
    String strategy =
        r.choice(
            "strategy",
            Set.of("fedavg", "fedprox", "fedadam", "fedyogi", "fedadagrad", "lbfgs"),
            network || localKnobs ? "fedavg" : "lbfgs");
    boolean lbfgs = strategy.equals("lbfgs");
    HomoParams q = HomoParams.lbfgs();
    int rounds = r.integer("max_iter", 1, Integer.MAX_VALUE, lbfgs ? q.rounds() : d.rounds());
    double tol = r.number("tol", 0, true, lbfgs ? q.tol() : 1e-4);
    int aggregateIters = r.integer("aggregate_iters", 1, Integer.MAX_VALUE, 1);
    int localEpochs = r.integer("local_epochs", 1, Integer.MAX_VALUE, aggregateIters);
    int batch = r.batchSize("all local rows", d.batchSize());
    double learningRate = r.number("learning_rate", 0, false, d.learningRate());
    String penalty = r.choice("penalty", Set.of("l2", "none"), "l2");
    double alpha = r.number("alpha", 0, true, lbfgs ? q.alpha() : d.alpha());
    String optimizer = r.choice("optimizer", Set.of("sgd", "momentum", "adam"), "adam");
    double mu = r.number("mu", 0, true, strategy.equals("fedprox") ? 0.01 : 0);
    double serverRate = r.number("server_learning_rate", 0, false, d.serverLearningRate());
    int[] hidden = new int[0];
    Mlp.Activation activation = Mlp.Activation.RELU;
    if (network) {
      hidden = r.positiveIntegers("hidden_layers", "the hidden layers' widths, e.g. [64, 32]");
      activation =
          Mlp.Activation.valueOf(
              upper(r.choice("activation", Set.of("relu", "tanh", "sigmoid"), "relu")));
    }
    noCrossValidation(r);
    r.accept("init_param");
    return new HomoParams(
        rounds,
        localEpochs,
        batch == -1 ? Math.max(1, rows) : batch,
        learningRate,
        HomoParams.Optimizer.valueOf(upper(optimizer)),
        penalty.equals("l2") ? alpha : 0,
        mu,
        switch (strategy) {
          case "fedadam" -> ServerOptimizer.Kind.FEDADAM;
          case "fedyogi" -> ServerOptimizer.Kind.FEDYOGI;
          case "fedadagrad" -> ServerOptimizer.Kind.FEDADAGRAD;
          case "lbfgs" -> ServerOptimizer.Kind.LBFGS;
          default -> ServerOptimizer.Kind.FEDAVG;
        },
        serverRate,
        1.0,
        1,
        d.roundDeadline(),
        hidden,
        activation,
        d.seed(),
        timeout,
        tol);
  }

  /**
   * HeteroSecureBoost: FATE's names ({@code num_trees}, {@code tree_param.max_depth}, {@code
   * bin_num}, {@code objective_param.objective}, {@code n_iter_no_change} and {@code tol}: stop
   * once the training loss changes by less than tol, on by default, …) read into the centralized
   * GBDT's parameters, which SecureBoost reproduces exactly.
   */
  public static SecureBoostParams secureBoost(ParamReader r, Duration timeout) {
    String task = r.choice("task_type", Set.of("classification", "regression"), "classification");
    ParamReader objective = r.object("objective_param");
    String loss =
        objective.choice(
            "objective",
            Set.of("cross_entropy", "lse"),
            task.equals("regression") ? "lse" : "cross_entropy");
    objective.accept("params");
    if (task.equals("regression") != loss.equals("lse")) {
      r.error(
          "objective_param.objective",
          "task_type "
              + task
              + " needs objective "
              + (loss.equals("lse") ? "cross_entropy" : "lse"));
    }
    ParamReader tree = r.object("tree_param");
    int depth = tree.integer("max_depth", 1, 16, 3);
    double lambda = 0.1;
    JsonNode criterion = tree.raw().path("criterion_params");
    if (criterion.isArray() && criterion.size() >= 1 && criterion.get(0).isNumber()) {
      lambda = criterion.get(0).asDouble();
      if (lambda < 0) {
        tree.error("criterion_params", "the L2 penalty on leaves must be ≥ 0");
        lambda = 0.1;
      }
    }
    tree.accept("criterion_params", "criterion_method", "min_impurity_split", "max_split_nodes");
    int minLeaf = tree.integer("min_leaf_node", 1, Integer.MAX_VALUE, 1);
    double minChildWeight = tree.number("min_child_weight", 0, true, 1e-3);
    tree.accept("min_sample_split", "use_missing", "zero_as_missing");
    int trees = r.integer("num_trees", 1, 10_000, 5);
    double rate = r.number("learning_rate", 0, false, 0.3);
    int bins = r.integer("bin_num", 2, QuantileBinning.MAX_BINS, 32);
    double featureRate = r.number("subsample_feature_rate", 0, false, 1.0);
    if (featureRate > 1) {
      r.error("subsample_feature_rate", "must be in (0, 1], got " + featureRate);
      featureRate = 1;
    }
    r.bool("use_missing", false);
    r.bool("zero_as_missing", false);
    boolean multiOutput =
        r.choice("multi_mode", Set.of("single_output", "multi_output"), "single_output")
            .equals("multi_output");
    EarlyStopping early = earlyStopping(r);
    boolean noChange = r.bool("n_iter_no_change", true);
    double tol = r.number("tol", 0, true, GbdtParams.DEFAULT_TOL);
    if (tol >= 1) {
      r.error("tol", "the change of the training loss that stops boosting must be < 1, got " + tol);
      tol = GbdtParams.DEFAULT_TOL;
    }
    r.accept(
        "use_missing",
        "zero_as_missing",
        "use_first_metric_only",
        "tree_num_per_party",
        "callback_param");
    boolean goss = r.bool("run_goss", false);
    double top = r.number("top_rate", 0, true, 0.2);
    double other = r.number("other_rate", 0, false, 0.1);
    double subsample = r.number("subsample", 0, false, 1.0);
    long seed = r.integer("random_seed", 0, Integer.MAX_VALUE, 0);
    RowSampling sampling = RowSampling.NONE;
    try {
      sampling = goss ? RowSampling.goss(top, other, seed) : RowSampling.subsample(subsample, seed);
    } catch (FederaException e) {
      r.error(goss ? "top_rate" : "subsample", e.getMessage());
    }
    HeParameters key = key(r, HeParameters.MIN_SECURE_BITS);
    crossValidation(r);
    GbdtParams boosting =
        new GbdtParams(
            loss.equals("lse") ? GbdtParams.Loss.SQUARED : GbdtParams.Loss.LOGISTIC,
            trees,
            depth,
            Math.min(1, rate),
            bins,
            lambda,
            minChildWeight,
            minLeaf,
            sampling,
            featureRate,
            multiOutput,
            noChange ? tol : 0);
    return new SecureBoostParams(boosting, key, timeout, early);
  }

  /**
   * FATE's {@code validation_freqs} (an integer: validate every that many rounds), {@code
   * early_stopping_rounds} and {@code metrics} (the first one decides: loss, auc, accuracy or rmse;
   * FATE's log_loss and mse count as loss and rmse).
   */
  private static EarlyStopping earlyStopping(ParamReader r) {
    int freq = 0;
    var v = r.raw().path("validation_freqs");
    if (v.isArray()) {
      r.error(
          "validation_freqs",
          "a list of rounds is not supported: give an integer N (every N rounds)");
    } else if (!v.isMissingNode() && !v.isNull()) {
      freq = r.integer("validation_freqs", 1, 10_000, 0);
    }
    r.accept("validation_freqs");
    int rounds = r.integer("early_stopping_rounds", 1, 10_000, 0);
    String metric = "loss";
    var metrics = r.raw().path("metrics");
    if (metrics.isArray() && metrics.size() > 0) {
      String first = JobValidator.lower(metrics.get(0));
      metric =
          switch (first) {
            case "log_loss", "loss" -> "loss";
            case "mse" -> "rmse";
            default -> first;
          };
      if (!EarlyStopping.METRICS.contains(metric)) {
        r.error(
            "metrics",
            "'"
                + metrics.get(0).asText()
                + "' cannot drive validation: use loss, auc, accuracy or rmse");
        metric = "loss";
      }
    }
    r.accept("metrics");
    if (rounds > 0 && freq == 0) {
      r.error(
          "early_stopping_rounds", "needs validation_freqs (and validate_data) to count rounds");
      rounds = 0;
    }
    return new EarlyStopping(freq, rounds, metric);
  }

  /**
   * The scheme ({@code method}: paillier or ou), key size and test-key flag {@code encrypt_param}
   * gives.
   */
  /** A module's {@code encrypt_param} key: the scheme and size (2048 bits by default). */
  public static HeParameters keyOf(ParamReader r) {
    return key(r, HeParameters.MIN_SECURE_BITS);
  }

  static HeParameters key(ParamReader r, int dflt) {
    ParamReader encrypt = r.object("encrypt_param");
    boolean testKeys = encrypt.bool("insecure_test_keys", false);
    int bits = encrypt.integer("key_length", 1, Integer.MAX_VALUE, dflt);
    HeScheme scheme =
        HeScheme.fromName(encrypt.choice("method", Set.of("paillier", "ou"), "paillier"));
    if (!testKeys && bits < HeParameters.MIN_SECURE_BITS) {
      encrypt.warn(
          "key_length",
          bits
              + " bits raised to "
              + HeParameters.MIN_SECURE_BITS
              + ": Federa never runs under 2048 bits (112-bit security); set key_length to 2048"
              + " to silence this");
      bits = HeParameters.MIN_SECURE_BITS;
    }
    try {
      if (testKeys) {
        HeParameters params = HeParameters.insecureForTesting(bits).withScheme(scheme);
        if (bits < HeParameters.MIN_SECURE_BITS) {
          encrypt.warn(
              "key_length",
              bits + "-bit test keys (insecure_test_keys): for tests only, never for real data");
        }
        return params;
      }
      return HeParameters.of(bits).withScheme(scheme);
    } catch (FederaException e) {
      encrypt.error("key_length", e.getMessage());
      return HeParameters.of(dflt).withScheme(scheme);
    }
  }

  /**
   * FATE's {@code cv_param} for the algorithms that cross-validate (SecureBoost): null unless
   * {@code need_cv}; {@code n_splits} (default 5), {@code shuffle} (true), {@code random_seed} (0).
   */
  public static io.federa.ml.CrossValidation crossValidation(ParamReader r) {
    ParamReader cv = r.object("cv_param");
    boolean need = cv.bool("need_cv", false);
    int folds = cv.integer("n_splits", 2, 1000, 5);
    boolean shuffle = cv.bool("shuffle", true);
    long seed = cv.integer("random_seed", 0, Integer.MAX_VALUE, 0);
    cv.accept("evaluate_param", "mode", "role", "need_cv", "output_fold_history");
    return need ? new io.federa.ml.CrossValidation(folds, shuffle, seed) : null;
  }

  private static void noCrossValidation(ParamReader r) {
    if (r.raw().path("cv_param").path("need_cv").asBoolean(false)) {
      r.error(
          "cv_param.need_cv",
          "cross-validation is not available in Federa yet; set need_cv to false");
    }
    r.accept("cv_param");
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
