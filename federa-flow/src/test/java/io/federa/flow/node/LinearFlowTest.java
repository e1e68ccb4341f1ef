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
}
