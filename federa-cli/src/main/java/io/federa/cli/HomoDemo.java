package io.federa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.io.AtomicFiles;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.ml.TrainingListener;
import io.federa.ml.homo.HomoModel;
import io.federa.ml.homo.ServerOptimizer;
import io.federa.ml.linear.LinearModel;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The horizontal demo: one process per party (and the arbiter, unless the ring is chosen), each on
 * its own file, FedAvg-family training, the first party evaluating on the test file; beside it
 * centralized LR on all parties' rows, evaluated on the same test file.
 */
final class HomoDemo {
  static final int FIRST_PARTY = 10000;
  static final int ARBITER = 9000;

  /** What to run. */
  record Spec(
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

  HomoDemo(Spec spec, PrintWriter out, boolean quiet) {
    this.spec = spec;
    this.out = out;
    this.quiet = quiet;
  }

  Map<String, Object> run(Progress progress) throws Exception {
    List<Path> all = new ArrayList<>(spec.partyData());
    all.add(spec.testData());
    for (Path p : all) {
      if (!Files.isRegularFile(p)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND,
            "data file " + p + " does not exist; run from the project's root or give --party-data");
      }
    }
    List<Table> tables = new ArrayList<>();
    for (Path p : spec.partyData()) {
      tables.add(CsvTableReader.read(p, CsvOptions.labeled()));
    }
    int rows = tables.stream().mapToInt(Table::rows).sum();
    Map<Integer, String> names = new LinkedHashMap<>();
    List<Integer> parties = new ArrayList<>();
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < spec.partyData().size(); i++) {
      int id = FIRST_PARTY + i;
      parties.add(id);
      names.put(id, "org-" + (i + 1));
      data.put(Integer.toString(id), spec.partyData().get(i).toAbsolutePath().toString());
    }
    if (!spec.ring()) {
      names.put(ARBITER, "arbiter-org");
    }
    ServerOptimizer.Kind server =
        switch (spec.strategy()) {
          case "fedadam" -> ServerOptimizer.Kind.FEDADAM;
          case "fedyogi" -> ServerOptimizer.Kind.FEDYOGI;
          case "fedadagrad" -> ServerOptimizer.Kind.FEDADAGRAD;
          case "fedavg", "fedprox" -> ServerOptimizer.Kind.FEDAVG;
          default ->
              throw new FederaException(
                  ErrorCode.INVALID_ARGUMENT,
                  "unknown strategy '"
                      + spec.strategy()
                      + "'; use fedavg, fedprox, fedadam, fedyogi or fedadagrad");
        };
    boolean mlp = spec.hidden().length > 0;
    HomoJob job =
        new HomoJob(
            HomoJob.KIND,
            "homo-" + Long.toHexString(System.currentTimeMillis()),
            parties,
            spec.ring() ? -1 : ARBITER,
            data,
            spec.testData().toAbsolutePath().toString(),
            spec.rounds(),
            2,
            32,
            mlp ? 0.01 : 0.05,
            1.0 / rows, // the centralized model's C = 1 over all rows
            spec.strategy().equals("fedprox") ? 0.1 : 0,
            server,
            0.05,
            spec.hidden(),
            120,
            600);
    long start = System.nanoTime();
    Map<String, Object> result = new LinkedHashMap<>();
    try (LoopbackNodes fed = LoopbackNodes.create("federa-demo-homo-", names)) {
      Path dir = fed.dir();
      Path jobFile = dir.resolve("job.json");
      AtomicFiles.write(jobFile, w -> w.write(Json.write(job)));
      try (PartyProcesses processes = new PartyProcesses(dir, out, quiet, spec.keep())) {
        processes.say(
            "%d parties%s, one process each, %s, %s%n",
            parties.size(),
            spec.ring() ? " in a ring (no arbiter)" : " and an arbiter",
            mlp ? "MLP " + java.util.Arrays.toString(spec.hidden()) : "logistic regression",
            spec.strategy());
        progress.start("rounds", spec.rounds());
        Map<Integer, JsonNode> results =
            processes.run(
                fed.confs(),
                jobFile,
                (party, e) -> {
                  if (e.path("event").asText().equals("round")) {
                    progress.stepTo(e.get("round").asInt());
                    processes.say(
                        "  round %3d/%d  loss %.6f%n",
                        e.get("round").asInt(), e.get("planned").asInt(), e.get("loss").asDouble());
                  }
                });
        progress.finish();
        JsonNode first = results.get(FIRST_PARTY);
        var fedPart = new LinkedHashMap<String, Object>();
        fedPart.put(
            "model",
            (mlp ? "MLP" : "LR") + ", " + spec.strategy() + (spec.ring() ? ", ring" : ", arbiter"));
        first
            .fields()
            .forEachRemaining(
                f -> {
                  if (f.getKey().equals("auc") || f.getKey().equals("accuracy")) {
                    fedPart.put(f.getKey(), f.getValue().asDouble());
                  }
                });
        fedPart.put("rounds", spec.rounds());
        fedPart.put("seconds", Timing.secondsSince(start));
        result.put("federated", fedPart);
        result.put("parties", PartyProcesses.partyRows(results));
      }
    }
    Table test = CsvTableReader.read(spec.testData(), CsvOptions.labeled());
    result.put("centralized", centralized(tables, test));
    result.put("test_rows", test.rows());
    result.put("train_rows", rows);
    return result;
  }

  /** AUC for a binary model, accuracy otherwise. */
  static Map<String, Object> evaluate(HomoModel model, Table test) {
    var m = new LinkedHashMap<String, Object>();
    double[][] p = model.probabilities(test);
    if (model.classes().length == 2) {
      double[] score = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        score[i] = p[i][0];
      }
      m.put("auc", Metrics.auc(test.labels(), score));
    } else {
      double[] predicted = model.predictClasses(test);
      int right = 0;
      for (int i = 0; i < predicted.length; i++) {
        right += predicted[i] == test.label(i) ? 1 : 0;
      }
      m.put("accuracy", (double) right / predicted.length);
    }
    return m;
  }

  private static Map<String, Object> centralized(List<Table> tables, Table test) {
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
    var m = new LinkedHashMap<String, Object>();
    m.put("model", "LR on all parties' rows (L-BFGS, C = 1)");
    double[] classes = java.util.Arrays.stream(y).distinct().sorted().toArray();
    if (classes.length == 2) {
      m.put(
          "auc",
          Metrics.auc(test.labels(), LogisticRegression.predictProbability(model, test, engine)));
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
      m.put("accuracy", (double) right / test.rows());
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static void print(Map<String, Object> r, PrintWriter out) {
    var fed = (Map<String, Object>) r.get("federated");
    var cen = (Map<String, Object>) r.get("centralized");
    String metric = fed.containsKey("auc") ? "auc" : "accuracy";
    out.println();
    out.printf("%-34s %12s %12s%n", "", "federated", "centralized");
    out.printf(
        "%-34s %12.4f %12.4f%n",
        (metric.equals("auc") ? "AUC" : "accuracy") + " (test file)",
        fed.get(metric),
        cen.get(metric));
    out.printf(
        "%nfederated: %s, %s rounds, %.1f s%n",
        fed.get("model"), fed.get("rounds"), fed.get("seconds"));
    out.printf("centralized: %s%n", cen.get("model"));
    PartyProcesses.printParties(r.get("parties"), out);
  }
}
