package io.federa.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.cli.Json;
import io.federa.cli.NodeApi;
import io.federa.cli.Progress;
import io.federa.cli.Timing;
import io.federa.cli.job.JobWatch;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.homo.HomoModel;
import io.federa.ml.homo.Mlp;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The horizontal demo, through flow like the main demo: a {@link LocalFederation} of the parties
 * (the guest 9999, then hosts 10000, 10002, …) and the arbiter 10001 (unless they average around a
 * ring), each party's file uploaded into its own node, a HomoLR or HomoNN job (Reader,
 * DataTransform, the training, evaluation on each party's rows) submitted at the guest and
 * followed; the trained model, as the guest's node holds it, is then scored on the test file,
 * beside centralized LR on all parties' rows scored on the same file.
 */
public final class HomoDemo {
  /** The federated run, scored on the test file. */
  public record Federated(
      String model, Double auc, Double accuracy, int rounds, double seconds, double jobSeconds) {}

  /** The demo's result: the federated model beside centralized LR, both on the test file. */
  public record Result(
      String jobId,
      Federated federated,
      Centralized centralized,
      List<Integer> parties,
      int testRows,
      int trainRows,
      TrainingCost training) {}

  /** What to run. */
  public record Spec(
      List<Path> partyData,
      Path testData,
      int[] hidden,
      String strategy,
      boolean ring,
      int rounds,
      boolean keep) {}

  private final Spec spec;
  private final PrintWriter out;
  private final boolean quiet;

  public HomoDemo(Spec spec, PrintWriter out, boolean quiet) {
    this.spec = spec;
    this.out = out;
    this.quiet = quiet;
  }

  /** Party {@code i}'s id: the guest, then the hosts. */
  private static int party(int i) {
    return i == 0 ? LocalFederation.GUEST : LocalFederation.host(i - 1);
  }

  private String module() {
    return spec.hidden().length > 0 ? "HomoNN" : "HomoLR";
  }

  private String component() {
    return spec.hidden().length > 0 ? "homo_nn_0" : "homo_lr_0";
  }

  public Result run(Progress progress) throws Exception {
    List<Path> all = new ArrayList<>(spec.partyData());
    all.add(spec.testData());
    for (Path p : all) {
      if (!Files.isRegularFile(p)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "data file " + p + " does not exist; run from the project's root or give --party-data");
      }
    }
    if (spec.partyData().size() < 2) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "horizontal training takes two or more parties; give --party-data once per party");
    }
    List<Table> tables = new ArrayList<>();
    for (Path p : spec.partyData()) {
      tables.add(CsvTableReader.read(p, CsvOptions.labeled()));
    }
    int rows = tables.stream().mapToInt(Table::rows).sum();
    Map<Integer, String> names = new LinkedHashMap<>();
    for (int i = 0; i < spec.partyData().size(); i++) {
      names.put(party(i), "org-" + (i + 1));
    }
    if (!spec.ring()) {
      names.put(LocalFederation.ARBITER, "arbiter-org");
    }
    long start = System.nanoTime();
    Table test = CsvTableReader.read(spec.testData(), CsvOptions.labeled());
    try (LocalFederation fed = LocalFederation.start(names, spec.keep())) {
      say(
          "%d parties%s, one node process each, %s, %s%n",
          spec.partyData().size(),
          spec.ring() ? " in a ring (no arbiter)" : " and an arbiter",
          spec.hidden().length > 0
              ? "MLP " + Arrays.toString(spec.hidden())
              : "logistic regression",
          spec.strategy());
      for (int i = 0; i < spec.partyData().size(); i++) {
        Path file = spec.partyData().get(i);
        fed.upload(party(i), file, "experiment", LocalFederation.tableName(file), "id", "y");
      }
      long submitted = System.nanoTime();
      boolean binary =
          tables.stream().flatMapToDouble(t -> Arrays.stream(t.labels())).distinct().count() <= 2;
      String jobId = fed.submit(LocalFederation.GUEST, dsl(), conf(rows, binary));
      NodeApi guest = fed.api(LocalFederation.GUEST);
      say("watch it on the guest's board: %s%n", guest.boardLink(jobId));
      JobWatch.Outcome job = JobWatch.follow(guest, jobId, submitted, quiet ? null : out, progress);
      JsonNode part = guest.get("/jobs/" + jobId + "/output-model/" + component());
      Score score = evaluate(model(part), test);
      var federated =
          new Federated(
              (spec.hidden().length > 0 ? "MLP" : "LR")
                  + ", "
                  + spec.strategy()
                  + (spec.ring() ? ", ring" : ", arbiter")
                  + " via flow",
              score.auc(),
              score.accuracy(),
              roundsRun(guest, jobId),
              Timing.secondsSince(start),
              job.seconds());
      return new Result(
          jobId,
          federated,
          centralized(tables, test),
          new ArrayList<>(names.keySet()),
          test.rows(),
          rows,
          TrainingCost.of(
              fed,
              LocalFederation.GUEST,
              jobId,
              component(),
              spec.ring() ? LocalFederation.GUEST : LocalFederation.ARBITER,
              names.keySet()));
    }
  }

  /** Reader → DataTransform → the training → Evaluation, at every party. */
  private JsonNode dsl() {
    ObjectNode dsl = Json.mapper().createObjectNode();
    ObjectNode components = dsl.putObject("components");
    components
        .putObject("reader_0")
        .put("module", "Reader")
        .putObject("output")
        .putArray("data")
        .add("data");
    component(components, "data_transform_0", "DataTransform", "data", "reader_0.data");
    component(components, component(), module(), "train_data", "data_transform_0.data");
    component(components, "evaluation_0", "Evaluation", "data", component() + ".data");
    return dsl;
  }

  private static void component(
      ObjectNode components, String name, String module, String slot, String input) {
    ObjectNode c = components.putObject(name).put("module", module);
    c.putObject("input").putObject("data").putArray(slot).add(input);
    c.putObject("output").putArray("data").add("data");
  }

  /** The parties, each party's table, and the training's parameters. */
  private JsonNode conf(int rows, boolean binary) {
    ObjectNode conf = Json.mapper().createObjectNode();
    conf.put("dsl_version", 2);
    conf.putObject("initiator").put("role", "guest").put("party_id", LocalFederation.GUEST);
    ObjectNode role = conf.putObject("role");
    role.putArray("guest").add(LocalFederation.GUEST);
    var hosts = role.putArray("host");
    for (int i = 1; i < spec.partyData().size(); i++) {
      hosts.add(party(i));
    }
    if (!spec.ring()) {
      role.putArray("arbiter").add(LocalFederation.ARBITER);
    }
    ObjectNode params = conf.putObject("component_parameters");
    ObjectNode byRole = params.putObject("role");
    table(byRole.putObject("guest").putObject("0"), spec.partyData().get(0));
    ObjectNode hostParams = byRole.putObject("host");
    for (int i = 1; i < spec.partyData().size(); i++) {
      table(hostParams.putObject(Integer.toString(i - 1)), spec.partyData().get(i));
    }
    ObjectNode common = params.putObject("common");
    common.putObject("data_transform_0").put("with_label", true).put("output_format", "dense");
    ObjectNode train = common.putObject(component());
    train.put("penalty", "L2");
    train.put("alpha", 1.0 / rows); // the centralized model's C = 1 over all rows
    train.put("max_iter", spec.rounds());
    train.put("strategy", spec.strategy());
    if (spec.strategy().equals("lbfgs")) { // no local knobs: full-batch gradients each round
      common.putObject("evaluation_0").put("eval_type", binary ? "binary" : "multi");
      return conf;
    }
    train.put("optimizer", "adam");
    train.put("batch_size", 32);
    train.put("learning_rate", spec.hidden().length > 0 ? 0.01 : 0.05);
    train.put("local_epochs", 2);
    train.put("server_learning_rate", 0.05);
    if (spec.strategy().equals("fedprox")) {
      train.put("mu", 0.1);
    }
    if (spec.hidden().length > 0) {
      var layers = train.putArray("hidden_layers");
      Arrays.stream(spec.hidden()).forEach(layers::add);
      train.put("activation", "relu");
    }
    common.putObject("evaluation_0").put("eval_type", binary ? "binary" : "multi");
    return conf;
  }

  private static void table(ObjectNode party, Path file) {
    party
        .putObject("reader_0")
        .putObject("table")
        .put("name", LocalFederation.tableName(file))
        .put("namespace", "experiment");
  }

  /** The guest's part of the trained model: every party holds the same global model. */
  private static HomoModel model(JsonNode part) {
    int[] layers = Json.mapper().convertValue(part.path("layers"), int[].class);
    double[] weights = Json.mapper().convertValue(part.path("weights"), double[].class);
    double[] classes = Json.mapper().convertValue(part.path("classes"), double[].class);
    return new HomoModel(new Mlp(layers, Mlp.Activation.RELU), weights, classes);
  }

  /** A model's score on the test file: AUC for a binary label, accuracy otherwise. */
  record Score(Double auc, Double accuracy) {}

  /** AUC for a binary model, accuracy otherwise. */
  static Score evaluate(HomoModel model, Table test) {
    double[][] p = model.probabilities(test);
    if (model.classes().length == 2) {
      double[] score = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        score[i] = p[i][0];
      }
      return new Score(Metrics.auc(test.labels(), score), null);
    } else {
      double[] predicted = model.predictClasses(test);
      int right = 0;
      for (int i = 0; i < predicted.length; i++) {
        right += predicted[i] == test.label(i) ? 1 : 0;
      }
      return new Score(null, (double) right / predicted.length);
    }
  }

  /** The rounds the training ran (its tracked losses): fewer than max_iter when it converged. */
  private int roundsRun(NodeApi guest, String jobId) {
    java.util.Set<Integer> steps = new java.util.HashSet<>();
    for (JsonNode m :
        guest.get("/jobs/" + jobId + "/metrics?component=" + component()).path("metrics")) {
      if (m.path("name").asText().equals("loss")) {
        steps.add(m.path("step").asInt());
      }
    }
    return steps.size();
  }

  private void say(String format, Object... args) {
    if (!quiet) {
      out.printf(format, args);
      out.flush();
    }
  }

  private static Centralized centralized(List<Table> tables, Table test) {
    long t0 = System.nanoTime();
    int n = tables.stream().mapToInt(Table::rows).sum();
    int d = tables.get(0).features();
    String[] ids = new String[n];
    double[] y = new double[n];
    double[][] cols = new double[d][n];
    int at = 0;
    for (Table t : tables) {
      for (int r = 0; r < t.rows(); r++, at++) {
        ids[at] = t.id(r);
        y[at] = t.label(r);
        for (int j = 0; j < d; j++) {
          cols[j][at] = t.value(r, j);
        }
      }
    }
    Table all = new Table(tables.get(0).schema(), ids, y, cols);
    LocalEngine engine = LocalEngine.allCores();
    LinearModel model =
        LogisticRegression.fit(
            all, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
    String name = "LR on all parties' rows (L-BFGS, C = 1)";
    double[] classes = java.util.Arrays.stream(y).distinct().sorted().toArray();
    if (classes.length == 2) {
      double auc =
          Metrics.auc(test.labels(), LogisticRegression.predictProbability(model, test, engine));
      return new Centralized(name, auc, null, null, Timing.secondsSince(t0), n);
    } else {
      double[][] p = LogisticRegression.predictClassProbabilities(model, test, engine);
      int right = 0;
      for (int i = 0; i < test.rows(); i++) {
        int best = 0;
        for (int k = 1; k < p[i].length; k++) {
          if (p[i][k] > p[i][best]) {
            best = k;
          }
        }
        right += classes[best] == test.label(i) ? 1 : 0;
      }
      double accuracy = (double) right / test.rows();
      return new Centralized(name, null, null, accuracy, Timing.secondsSince(t0), n);
    }
  }

  static void print(Result r, PrintWriter out) {
    Federated fed = r.federated();
    Centralized cen = r.centralized();
    boolean auc = fed.auc() != null;
    out.println();
    out.printf("%-34s %12s %12s%n", "", "federated", "centralized");
    out.printf(
        "%-34s %12.4f %12.4f%n",
        (auc ? "AUC" : "accuracy") + " (test file)",
        auc ? fed.auc() : fed.accuracy(),
        auc ? cen.auc() : cen.accuracy());
    out.printf("%nfederated: %s, %s rounds, %.1f s%n", fed.model(), fed.rounds(), fed.seconds());
    out.printf("centralized: %s%n", cen.model());
    out.printf("parties: %s; job %s%n", r.parties(), r.jobId());
    out.printf(
        "%.2f s per round (median after the first); bytes sent per round: %s%n",
        r.training().medianSeconds(), r.training().bytesPer(fed.rounds()));
  }
}
