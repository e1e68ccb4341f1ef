package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.metrics.Metrics;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import io.federa.ml.CrossValidation;
import io.federa.ml.TrainingListener;
import io.federa.ml.linear.LogisticRegression;
import io.federa.ml.linear.LogisticRegressionParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hetero linear models' cross-validation through flow (guest, host and arbiter nodes in one
 * JVM, real 2048-bit keys): {@code cv_param.need_cv} on the breast hetero LR job scores every fold
 * as centralized LR trained on the same folds does.
 */
class LinearFlowTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final Path JOBS = DATA.getParent().resolve("federa");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  @Test
  void heteroLrCrossValidation_eachFoldAsCentralized() throws Exception {
    nodes.addAll(BreastNodes.start(dir, List.of(9999, 10000, 10001)));
    ObjectNode conf = (ObjectNode) JSON.readTree(JOBS.resolve("hetero_lr_conf.json").toFile());
    ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0"))
        .putObject("cv_param")
        .put("need_cv", true)
        .put("n_splits", 3)
        .put("shuffle", true)
        .put("random_seed", 5);
    String jobId =
        nodes.get(0).submit(JSON.readTree(JOBS.resolve("hetero_lr_dsl.json").toFile()), conf);
    JobStore.Job job = FlowNodeTest.await(nodes.get(0), jobId, 600);
    assertEquals(State.SUCCESS, job.state(), job.error());

    Table joined =
        Tables.innerJoin(
            CsvTableReader.read(
                DATA.resolve("breast_hetero_guest.csv"), CsvOptions.labeled().withLabelColumn("y")),
            CsvTableReader.read(DATA.resolve("breast_hetero_host.csv"), CsvOptions.unlabeled()),
            "host_");
    int[] fold = new CrossValidation(3, true, 5).assign(joined.rows());
    var engine = LocalEngine.allCores();
    for (int k = 0; k < 3; k++) {
      Table train = joined.selectRows(CrossValidation.rows(fold, k, false));
      Table held = joined.selectRows(CrossValidation.rows(fold, k, true));
      var lr =
          LogisticRegression.fit(
              train, LogisticRegressionParams.defaults(), engine, TrainingListener.NONE);
      double central =
          Metrics.auc(held.labels(), LogisticRegression.predictProbability(lr, held, engine));
      int step = k + 1;
      double federated =
          nodes.get(0).metrics(jobId, "hetero_lr_0").stream()
              .filter(m -> m.name().equals("cv_auc") && m.step() == step)
              .findFirst()
              .orElseThrow()
              .value();
      System.out.printf(
          "hetero LR cv fold %d: AUC %.4f, centralized %.4f%n", step, federated, central);
      assertEquals(central, federated, 0.01, "fold " + step);
    }
    // every row's out-of-fold prediction, for an Evaluation downstream
    Table out = nodes.get(0).tables().read(FlowNode.outputNamespace(jobId), "hetero_lr_0");
    assertEquals(joined.rows(), out.rows());
  }

  /**
   * {@code examples/federa/hetero_linr_*}: HeteroLinR on student (with the arbiter), its RMSE
   * within 2 % of centralized least squares on the joined rows.
   */
  @Test
  void heteroLinR_onStudent_isAsGoodAsLeastSquares() throws Exception {
    nodes.addAll(BreastNodes.start(dir, List.of(9999, 10000, 10001)));
    BreastNodes.upload(nodes.get(0), "student", true);
    BreastNodes.upload(nodes.get(1), "student", false);
    String jobId =
        nodes
            .get(0)
            .submit(
                JSON.readTree(JOBS.resolve("hetero_linr_dsl.json").toFile()),
                JSON.readTree(JOBS.resolve("hetero_linr_conf.json").toFile()));
    JobStore.Job job = FlowNodeTest.await(nodes.get(0), jobId, 600);
    assertEquals(State.SUCCESS, job.state(), job.error());
    Table joined =
        Tables.innerJoin(
            CsvTableReader.read(
                DATA.resolve("student_hetero_guest.csv"),
                CsvOptions.labeled().withLabelColumn("y")),
            CsvTableReader.read(DATA.resolve("student_hetero_host.csv"), CsvOptions.unlabeled()),
            "host_");
    var engine = LocalEngine.allCores();
    var ls = io.federa.ml.linear.LinearRegression.fit(joined, engine);
    double central =
        Metrics.rmse(
            joined.labels(), io.federa.ml.linear.LinearRegression.predict(ls, joined, engine));
    double federated =
        nodes.get(0).metrics(jobId, "evaluation_0").stream()
            .filter(m -> m.name().equals("rmse"))
            .findFirst()
            .orElseThrow()
            .value();
    System.out.printf(
        "flow hetero LinR student: RMSE %.4f, centralized %.4f%n", federated, central);
    assertEquals(central, federated, 0.02 * central);
  }

  /**
   * HeteroPoisson through flow on seeded counts (guest 3 + host 3 features, a known log-linear
   * model) with an exposure column at the guest (FATE's {@code exposure_colname}): the predicted
   * means' deviance within 1 % of centralized Poisson regression's with the same offset.
   */
  @Test
  void heteroPoisson_withExposure_isTheCentralizedFit() throws Exception {
    int n = 1500;
    java.util.Random r = new java.util.Random(5);
    StringBuilder g = new StringBuilder("id,y,g0,g1,g2,exposure\n");
    StringBuilder h = new StringBuilder("id,h0,h1,h2\n");
    for (int i = 0; i < n; i++) {
      double[] x = new double[6];
      double z = 0.3;
      for (int j = 0; j < 6; j++) {
        x[j] = Math.round(r.nextGaussian() * 1000) / 1000.0;
        z += (j % 2 == 0 ? 0.3 : -0.2) * x[j];
      }
      double exposure = Math.round((0.25 + 2.75 * r.nextDouble()) * 1000) / 1000.0;
      double l = Math.exp(-exposure * Math.exp(z));
      double p = 1;
      int k = -1;
      do {
        k++;
        p *= r.nextDouble();
      } while (p > l);
      g.append("c").append(i).append(',').append(k);
      h.append("c").append(i);
      for (int j = 0; j < 6; j++) {
        (j < 3 ? g : h).append(',').append(x[j]);
      }
      g.append(',').append(exposure).append('\n');
      h.append('\n');
    }
    java.nio.file.Files.writeString(dir.resolve("pg.csv"), g);
    java.nio.file.Files.writeString(dir.resolve("ph.csv"), h);
    nodes.addAll(BreastNodes.start(dir, List.of(9999, 10000, 10001)));
    nodes.get(0).tables().upload(dir.resolve("pg.csv"), "t", "pg", CsvOptions.labeled(), false);
    nodes.get(1).tables().upload(dir.resolve("ph.csv"), "t", "ph", CsvOptions.unlabeled(), false);
    ObjectNode dsl = (ObjectNode) JSON.readTree(JOBS.resolve("hetero_linr_dsl.json").toFile());
    ((ObjectNode) dsl.at("/components/hetero_linr_0")).put("module", "HeteroPoisson");
    ObjectNode conf = (ObjectNode) JSON.readTree(JOBS.resolve("hetero_linr_conf.json").toFile());
    ((ObjectNode) conf.at("/component_parameters/role/guest/0/reader_0/table"))
        .put("name", "pg")
        .put("namespace", "t");
    ((ObjectNode) conf.at("/component_parameters/role/host/0/reader_0/table"))
        .put("name", "ph")
        .put("namespace", "t");
    ((ObjectNode) conf.at("/component_parameters/common/hetero_linr_0"))
        .put("penalty", "L2")
        .put("alpha", 0.01)
        .put("learning_rate", 0.1)
        .put("max_iter", 150)
        .put("tol", 1e-9)
        .put("exposure_colname", "exposure");
    String jobId = nodes.get(0).submit(dsl, conf);
    JobStore.Job job = FlowNodeTest.await(nodes.get(0), jobId, 600);
    assertEquals(State.SUCCESS, job.state(), job.error());
    Table out = nodes.get(0).tables().read(FlowNode.outputNamespace(jobId), "hetero_linr_0");
    Table joined =
        Tables.innerJoin(
            CsvTableReader.read(dir.resolve("pg.csv"), CsvOptions.labeled()),
            CsvTableReader.read(dir.resolve("ph.csv"), CsvOptions.unlabeled()),
            "host_");
    var e = io.federa.ml.hetero.Exposure.of(joined, "exposure");
    var central =
        io.federa.ml.linear.PoissonRegression.fit(
            e.features(), e.offset(), 0.01, LocalEngine.allCores());
    double[] mu =
        io.federa.ml.linear.PoissonRegression.predict(
            central, e.features(), e.offset(), LocalEngine.allCores());
    double dc = 0;
    double df = 0;
    double[] fed = out.column(out.schema().indexOf("predict_score"));
    for (int i = 0; i < n; i++) {
      double y = joined.label(i);
      dc += 2 * ((y > 0 ? y * Math.log(y / mu[i]) : 0) - (y - mu[i]));
      df += 2 * ((y > 0 ? y * Math.log(y / fed[i]) : 0) - (y - fed[i]));
    }
    System.out.printf("flow hetero Poisson: deviance %.5f, centralized %.5f%n", df / n, dc / n);
    assertEquals(dc / n, df / n, 0.01 * dc / n);
  }
}
