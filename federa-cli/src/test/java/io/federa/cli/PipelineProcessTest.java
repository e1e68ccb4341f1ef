package io.federa.cli;

import static io.federa.cli.CliTest.data;
import static io.federa.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.NodeProcesses;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.ml.TrainingListener;
import io.federa.ml.feature.BinningParams;
import io.federa.ml.feature.Events;
import io.federa.ml.feature.LocalBinning;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.linear.Standardization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole pipelines through node processes on real sockets, driven by the CLI: the credit-scoring
 * example (three processes, 2048-bit keys) against the same pipeline run centrally, and every FATE
 * file of {@code examples/fate/} submitted unchanged.
 */
class PipelineProcessTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("federa.data.dir")).getParent();

  @TempDir Path dir;

  static JsonNode ok(CliTest.Run r) throws Exception {
    assertEquals(0, r.exit(), r.out() + r.err());
    return r.json();
  }

  /**
   * {@code examples/federa/credit_scoring_*} on default_credit: the federated AUC and KS within
   * 0.001 of the pipeline run centrally (the same bins, IV filter and WOE, centralized LR: hetero
   * LR's exact sigmoid reaches its optimum; the Taylor loss left 0.004 here).
   */
  @Test
  void creditScoring_threeProcesses_isTheCentralizedPipeline() throws Exception {
    List<Path> confs = LocalFederation.configure(dir, LocalFederation.vertical(1, true));
    String guest = confs.get(0).toString();
    try (var nodes = new NodeProcesses(dir)) {
      nodes.startAll(confs);
      upload(guest, "default_credit_hetero_guest", true);
      upload(confs.get(1).toString(), "default_credit_hetero_host", false);
      JsonNode submitted = submitted(guest, "federa/credit_scoring", "federa/credit_scoring");
      String jobId = submitted.path("job_id").asText();
      Map<String, Double> eval = metrics(guest, jobId, "evaluation_0");

      Table g =
          CsvTableReader.read(
              Path.of(data("default_credit_hetero_guest.csv")),
              CsvOptions.labeled().withLabelColumn("y"));
      Table joined =
          Tables.innerJoin(
              g,
              CsvTableReader.read(
                  Path.of(data("default_credit_hetero_host.csv")), CsvOptions.unlabeled()),
              "host_");
      var engine = LocalEngine.allCores();
      var bins =
          LocalBinning.fit(joined, Events.of(joined.labels()), BinningParams.defaults(), engine);
      List<String> names = new ArrayList<>();
      List<double[]> cols = new ArrayList<>();
      for (int f = 0; f < joined.features(); f++) {
        if (bins.bins().get(f).iv(0) < 0.02) {
          continue; // the selection's IV filter
        }
        names.add(joined.schema().featureNames().get(f));
        double[] col = joined.column(f);
        if (f < g.features()) { // the guest's kept columns as WOE
          double[] woe = bins.bins().get(f).perClass().get(0).woe();
          double[] w = new double[col.length];
          for (int i = 0; i < col.length; i++) {
            w[i] = woe[bins.edges().binOf(f, col[i])];
          }
          col = w;
        }
        cols.add(col);
      }
      Table selected =
          new Table(
              new Schema("id", "y", names),
              joined.ids(),
              joined.labels(),
              cols.toArray(new double[0][]));
      // hetero LR's default: every party's columns as z-scores; the job's L2 α = 0.01 (C = 1/αn)
      Table pipeline = Standardization.of(selected, true).apply(selected);
      var lr =
          LogisticRegression.fit(
              pipeline,
              new LogisticRegressionParams(1 / (0.01 * pipeline.rows()), 1000, 1e-9),
              engine,
              TrainingListener.NONE);
      double[] p = LogisticRegression.predictProbability(lr, pipeline, engine);
      double auc = Metrics.auc(pipeline.labels(), p);
      double ks = Metrics.ks(pipeline.labels(), p);
      System.out.printf(
          "credit scoring, three processes: AUC %.4f KS %.4f; centralized AUC %.4f KS %.4f%n",
          eval.get("auc"), eval.get("ks"), auc, ks);
      assertEquals(auc, eval.get("auc"), 0.001);
      assertEquals(ks, eval.get("ks"), 0.001);
      assertTrue(metrics(guest, jobId, "scorecard_0").get("mean_credit_score") > 0);
      servedAsTrained(confs.get(0), submitted, g);
      if (Chromium.available()) {
        boardShowsTheBinning(guest, jobId);
      }
    }
  }

  /**
   * The scorecard's model deployed and asked over HTTP for raw rows: the guest's kept columns
   * become WOE at serving as in the job, so each served score is the job's score of that row, and
   * its credit score the scorecard's.
   */
  private static void servedAsTrained(Path guestConf, JsonNode job, Table rows) throws Exception {
    String guest = guestConf.toString();
    String jobId = job.path("job_id").asText();
    ok(
        run(
            ServingProcessTest.deployArgs(
                guest, job.path("model_id").asText(), job.path("model_version").asText())));
    var node = io.federa.federation.NodeConfig.load(guestConf);
    String base = "http://" + node.httpAddress().host() + ":" + node.httpAddress().port();
    String token = java.nio.file.Files.readString(node.dataPath().resolve("serving.token")).trim();
    JsonNode trained = outputData(guest, jobId, "hetero_lr_0");
    JsonNode card = outputData(guest, jobId, "scorecard_0");
    var byId = rows.indexById();
    for (JsonNode r : trained.path("rows")) {
      String id = r.get(0).asText();
      var answer =
          ServingProcessTest.post(
              base + "/v1/predict/loan",
              token,
              ServingProcessTest.requestOf(rows, byId.get(id)).toString());
      assertEquals(200, answer.statusCode(), answer.body());
      JsonNode served =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(answer.body())
              .at("/predictions/0");
      assertEquals(ServingProcessTest.scoreOf(trained, id), served.path("score").asDouble(), 1e-9);
      assertEquals(
          ServingProcessTest.valueOf(card, id, "credit_score"),
          served.path("credit_score").asDouble(),
          1e-6,
          id);
    }
  }

  /** The first 20 rows of a component's output data. */
  private static JsonNode outputData(String guest, String jobId, String component)
      throws Exception {
    return ok(
        run(
            "output-data",
            "--node",
            guest,
            "--job",
            jobId,
            "--component",
            component,
            "--limit",
            "20",
            "--json"));
  }

  /** The board's binning tables: one IV row per binned feature, as tracking has them. */
  private static void boardShowsTheBinning(String guest, String jobId) throws Exception {
    Map<String, Double> ivs = new LinkedHashMap<>();
    metrics(guest, jobId, "hetero_feature_binning_0")
        .forEach(
            (k, v) -> {
              if (k.startsWith("iv.")) {
                ivs.put(k.substring(3), v);
              }
            });
    String link = ok(run("board", "link", "--node", guest, "--json")).get("url").asText();
    org.openqa.selenium.WebDriver browser = Chromium.start();
    try {
      browser.get(link + "&to=/jobs/" + jobId + "/overview?component=hetero_feature_binning_0");
      var rows =
          Chromium.waitFor(browser, org.openqa.selenium.By.id("iv-table"))
              .findElements(org.openqa.selenium.By.cssSelector("tbody tr"));
      assertEquals(ivs.size(), rows.size());
      for (var row : rows) {
        var cells = row.findElements(org.openqa.selenium.By.tagName("td"));
        String feature = cells.get(0).getText();
        assertEquals(ivs.get(feature), Double.parseDouble(cells.get(2).getText()), 5e-5, feature);
      }
      Chromium.shot(browser, "binning");
      Chromium.assertNoConsoleErrors(browser);
    } finally {
      browser.quit();
    }
  }

  /**
   * Every FATE file of {@code examples/fate/}, unchanged, runs to success on nodes 9999, 10000 and
   * 9998 (the SecureBoost file's host): party 10000 as host and arbiter at once, 9999 as guest and
   * a second host, the 1,024-bit keys raised to 2,048, the predict file's empty model id.
   */
  @Test
  void everyFateFile_runsUnchanged_onNodeProcesses() throws Exception {
    Map<Integer, String> parties = new LinkedHashMap<>();
    parties.put(9999, "guest-org");
    parties.put(10000, "host-org");
    parties.put(9998, "host2-org");
    List<Path> confs = LocalFederation.configure(dir, parties);
    String guest = confs.get(0).toString();
    String host = confs.get(1).toString();
    try (var nodes = new NodeProcesses(dir)) {
      nodes.startAll(confs);
      for (String set : List.of("breast", "vehicle_scale")) {
        upload(guest, set + "_hetero_guest", true);
        upload(host, set + "_hetero_host", false);
      }
      upload(guest, "breast_hetero_host", false); // 9999 is the multi-host job's second host
      upload(confs.get(2).toString(), "breast_hetero_host", false);
      upload(guest, "breast_homo_guest", true);
      upload(host, "breast_homo_host", true);
      Map<String, String> metric = new LinkedHashMap<>();
      metric.put("hetero_lr_normal", "auc");
      metric.put("hetero_lr_normal_predict", null);
      metric.put("hetero_lr_multi_host", "auc");
      metric.put("hetero_lr_one_vs_all", "accuracy");
      metric.put("homo_lr_train", "auc");
      metric.put("test_secureboost_train", "auc");
      for (var e : metric.entrySet()) {
        String conf =
            e.getKey().equals("test_secureboost_train")
                ? "fate/test_secureboost_train_binary"
                : "fate/" + e.getKey();
        String jobId = submit(guest, "fate/" + e.getKey(), conf);
        if (e.getValue() != null) {
          double v = metrics(guest, jobId, "evaluation_0").get(e.getValue());
          System.out.printf("FATE's %s, node processes: %s %.4f%n", e.getKey(), e.getValue(), v);
          assertTrue(v > (e.getValue().equals("auc") ? 0.95 : 0.45), e.getKey() + " " + v);
        }
      }
    }
  }

  static void upload(String node, String table, boolean labeled) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "upload",
                "--node",
                node,
                "--file",
                data(table + ".csv"),
                "--namespace",
                "experiment",
                "--table",
                table,
                "--json"));
    args.addAll(labeled ? List.of("--label", "y") : List.of("--no-label"));
    ok(run(args.toArray(new String[0])));
  }

  private static String submit(String node, String job) throws Exception {
    return submit(node, job, job);
  }

  /**
   * Submits {@code dsl}/{@code conf} ({@code examples/} paths without {@code _dsl.json}), waits.
   */
  private static String submit(String node, String dsl, String conf) throws Exception {
    return submitted(node, dsl, conf).path("job_id").asText();
  }

  /** The submitted job's JSON (its id, model id and version), once it succeeded. */
  private static JsonNode submitted(String node, String dsl, String conf) throws Exception {
    JsonNode submitted =
        ok(
            run(
                "submit",
                "--node",
                node,
                "--dsl",
                EXAMPLES.resolve(dsl + "_dsl.json").toString(),
                "--conf",
                EXAMPLES.resolve(conf + "_conf.json").toString(),
                "--wait",
                "--json"));
    String jobId = submitted.path("job_id").asText();
    JsonNode job = ok(run("query", "--node", node, "--job", jobId, "--json"));
    assertEquals("success", job.path("state").asText(), dsl + ": " + job);
    return submitted;
  }

  private static Map<String, Double> metrics(String node, String jobId, String component)
      throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (JsonNode m :
        ok(run("metrics", "--node", node, "--job", jobId, "--component", component, "--json"))
            .path("metrics")) {
      if (m.path("step").asInt() == 0) {
        out.put(m.path("name").asText(), m.path("value").asDouble());
      }
    }
    return out;
  }
}
