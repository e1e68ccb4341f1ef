package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.federation.InProcessFederation;
import io.federa.flow.job.ModelPart;
import io.federa.flow.serving.Serving;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online serving through flow (guest, host and arbiter nodes in one JVM over the in-process
 * federation, real 2048-bit keys for training): a deployed hetero LR version answers every row as
 * the batch predict job scored it (binary and one-vs-rest, to 1e-9); a host that does not answer
 * within the deadline, or lacks a row, is handled by the service's policy with the party named;
 * versions swap, roll back and split; the service survives a restart of the guest node.
 */
class ServingFlowTest {
  private static final Path DATA = BreastNodes.DATA;
  private static final Path JOBS = DATA.getParent().resolve("federa");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();
  private InProcessFederation.Network net;

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  private void start(String set) {
    net = InProcessFederation.network();
    for (int party : List.of(9999, 10000, 10001)) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
    BreastNodes.upload(nodes.get(0), set, true);
    BreastNodes.upload(nodes.get(1), set, false);
  }

  /** Trains on {@code set} and runs the predict job; returns the model part and the scores. */
  private Object[] trainAndPredict(String set, String conf) throws Exception {
    ObjectNode train = (ObjectNode) JSON.readTree(JOBS.resolve(conf).toFile());
    String jobId =
        FlowNodeTest.succeed(
            nodes.get(0), JSON.readTree(JOBS.resolve("hetero_lr_dsl.json").toFile()), train, 600);
    ModelPart part = nodes.get(0).models().parts(jobId).get(0);
    ObjectNode predict =
        (ObjectNode) JSON.readTree(JOBS.resolve("hetero_lr_predict_conf.json").toFile());
    ((ObjectNode) predict.path("job_parameters").path("common"))
        .put("model_id", part.modelId())
        .put("model_version", part.modelVersion());
    for (String role : List.of("guest", "host")) {
      ((ObjectNode) predict.at("/component_parameters/role/" + role + "/0/reader_0/table"))
          .put("name", set + "_hetero_" + role);
    }
    String predictId =
        FlowNodeTest.succeed(
            nodes.get(0),
            JSON.readTree(JOBS.resolve("hetero_lr_predict_dsl.json").toFile()),
            predict,
            120);
    Table scored = nodes.get(0).tables().read(FlowNode.outputNamespace(predictId), "hetero_lr_0");
    return new Object[] {part, scored};
  }

  /** The guest's rows of {@code set} as a batch request. */
  private static ObjectNode batch(String set) {
    return requestOf(set + "_hetero_guest.csv");
  }

  /** The rows of a labelled data file as a batch request. */
  private static ObjectNode requestOf(String file) {
    Table guest =
        CsvTableReader.read(DATA.resolve(file), CsvOptions.labeled().withLabelColumn("y"));
    ObjectNode request = JSON.createObjectNode();
    ArrayNode rows = request.putArray("rows");
    for (int i = 0; i < guest.rows(); i++) {
      rows.add(row(guest, i));
    }
    return request;
  }

  private static ObjectNode row(Table t, int i) {
    ObjectNode row = JSON.createObjectNode().put("id", t.id(i));
    ObjectNode f = row.putObject("features");
    for (int j = 0; j < t.features(); j++) {
      f.put(t.schema().featureNames().get(j), t.value(i, j));
    }
    return row;
  }

  private static Serving.Deploy deploy(ModelPart part, String policy, Integer deadlineMs) {
    return deploy(part, policy, deadlineMs, Map.of());
  }

  private static Serving.Deploy deploy(
      ModelPart part, String policy, Integer deadlineMs, Map<Integer, String> tables) {
    return new Serving.Deploy(
        "loan", part.modelId(), part.modelVersion(), null, deadlineMs, policy, tables);
  }

  /** Every served row equals the predict job's row (same id) to 1e-9, score and result. */
  private static void assertSame(Table scored, Serving.Reply reply) {
    var byId = scored.indexById();
    assertEquals(scored.rows(), reply.predictions().size());
    for (Serving.Prediction p : reply.predictions()) {
      int i = byId.get(p.id());
      assertEquals(scored.value(i, 0), p.score(), 1e-9, p.id());
      assertEquals(scored.value(i, 1), p.result(), 0, p.id());
      assertFalse(p.degraded());
      if (p.probabilities() != null) {
        for (var e : p.probabilities().entrySet()) {
          int f = scored.schema().indexOf("prob_" + e.getKey());
          assertEquals(scored.value(i, f), e.getValue(), 1e-9, p.id() + " " + e.getKey());
        }
      }
    }
  }

  /** A host's feature table in an SQLite database of its own, as a JDBC feature source. */
  private static io.federa.federation.NodeConfig.JdbcSource sqlite(Path file, String csv)
      throws Exception {
    Table t = CsvTableReader.read(DATA.resolve(csv), CsvOptions.unlabeled());
    String url = "jdbc:sqlite:" + file;
    try (var c = java.sql.DriverManager.getConnection(url)) {
      StringBuilder create =
          new StringBuilder("CREATE TABLE customer (customer_id TEXT PRIMARY KEY");
      StringBuilder insert = new StringBuilder("INSERT INTO customer VALUES (?");
      for (String f : t.schema().featureNames()) {
        create.append(", \"").append(f).append("\" REAL");
        insert.append(", ?");
      }
      create.append(", note TEXT)");
      insert.append(", 'text columns are not features')");
      try (var s = c.createStatement()) {
        s.execute(create.toString());
      }
      try (var s = c.prepareStatement(insert.toString())) {
        for (int i = 0; i < t.rows(); i++) {
          s.setString(1, t.id(i));
          for (int j = 0; j < t.features(); j++) {
            s.setDouble(j + 2, t.value(i, j));
          }
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    return new io.federa.federation.NodeConfig.JdbcSource(url, "customer", "customer_id");
  }

  @Test
  void breast_servedAsTheBatchPredictJob_andAHostOutOfTimeIsNamed() throws Exception {
    start("breast");
    Object[] trained = trainAndPredict("breast", "hetero_lr_conf.json");
    ModelPart part = (ModelPart) trained[0];
    Table scored = (Table) trained[1];
    Serving serving = nodes.get(0).serving();
    var deployed = serving.deploy(deploy(part, null, 2_000));
    assertEquals(part.modelVersion(), deployed.active());
    assertEquals(List.of(10000), deployed.hosts());
    assertEquals(569, deployed.loaded().get(0).rows());

    Serving.Reply all = serving.predict("loan", batch("breast"));
    assertFalse(all.degraded());
    assertEquals(
        List.of(9999, 10000), all.parties().stream().map(Serving.PartyAnswer::party).toList());
    assertSame(scored, all);

    // one row alone, as a client sends it
    JsonNode one = batch("breast").get("rows").get(7);
    Serving.Reply single = serving.predict("loan", one);
    assertEquals(1, single.predictions().size());
    int i = scored.indexById().get(one.get("id").asText());
    assertEquals(scored.value(i, 0), single.predictions().get(0).score(), 1e-9);

    // the host's features from its own database (serving.sources in its node.yaml): the same
    nodes
        .get(1)
        .serving()
        .sources(Map.of("crm", sqlite(dir.resolve("crm.db"), "breast_hetero_host.csv")));
    var fromDatabase = serving.deploy(deploy(part, null, 2_000, Map.of(10000, "jdbc.crm")));
    assertEquals("jdbc.crm", fromDatabase.loaded().get(0).table());
    assertEquals(569, fromDatabase.loaded().get(0).rows());
    assertSame(scored, serving.predict("loan", batch("breast")));
    FederaException noSource =
        assertThrows(
            FederaException.class,
            () -> serving.deploy(deploy(part, null, null, Map.of(10000, "jdbc.nope"))));
    assertTrue(noSource.getMessage().contains("serving.sources"), noSource.getMessage());

    // an id the host lacks: fail names the party; degrade answers the guest's part, flagged
    ObjectNode stranger = ((ObjectNode) one.deepCopy()).put("id", "no-such-customer");
    FederaException missing =
        assertThrows(FederaException.class, () -> serving.predict("loan", stranger));
    assertEquals(ErrorCode.NOT_FOUND, missing.code());
    assertTrue(missing.getMessage().contains("party 10000"), missing.getMessage());
    serving.deploy(deploy(part, "degrade", null));
    Serving.Reply partial = serving.predict("loan", stranger);
    assertTrue(partial.degraded());
    assertEquals(List.of(10000), partial.predictions().get(0).without());

    // the host does not answer within the deadline: degraded at once, then failing when so set
    CountDownLatch release = new CountDownLatch(1);
    net.party(10000)
        .serve(
            "serving.score",
            (from, body) -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new byte[0];
            });
    serving.deploy(deploy(part, "degrade", 300));
    Serving.Reply late = serving.predict("loan", one);
    assertTrue(late.degraded());
    Serving.PartyAnswer host = late.parties().get(1);
    assertEquals(10000, host.party());
    assertFalse(host.answered());
    assertTrue(host.error().contains("deadline"), host.error());
    serving.deploy(deploy(part, "fail", 300));
    FederaException timeout =
        assertThrows(FederaException.class, () -> serving.predict("loan", one));
    assertEquals(ErrorCode.TIMEOUT, timeout.code());
    assertTrue(timeout.getMessage().contains("party 10000 (host)"), timeout.getMessage());
    release.countDown();
    Serving.Figures figures = serving.figures().get(0);
    assertEquals("loan", figures.service());
    assertTrue(
        figures.ok() >= 2 && figures.degraded() >= 2 && figures.errors() >= 2, figures.toString());
    assertEquals(569 + 1 + 569 + 2, figures.rows(), figures.toString()); // ok and degraded rows
    assertTrue(figures.p50Ms() > 0 && figures.p50Ms() <= figures.p99Ms(), figures.toString());
    String metrics = serving.metrics();
    assertTrue(
        metrics.contains("federa_serving_requests_total{outcome=\"degraded\",service=\"loan\"}"),
        metrics);
    assertTrue(metrics.contains("federa_serving_latency_seconds_bucket"), metrics);
  }

  @Test
  void vehicle_oneVsRest_servedAsTheBatchPredictJob_swapsRollsBackAndSurvivesARestart()
      throws Exception {
    start("vehicle_scale");
    Object[] first = trainAndPredict("vehicle_scale", "hetero_lr_one_vs_all_conf.json");
    ModelPart part = (ModelPart) first[0];
    Serving serving = nodes.get(0).serving();
    serving.deploy(deploy(part, null, 2_000));
    Serving.Reply all = serving.predict("loan", batch("vehicle_scale"));
    assertNotNull(all.predictions().get(0).probabilities());
    assertEquals(4, all.predictions().get(0).probabilities().size());
    assertSame((Table) first[1], all);

    // a second version: hot swap, an A/B split, a rollback
    Object[] second = trainAndPredict("vehicle_scale", "hetero_lr_one_vs_all_conf.json");
    ModelPart next = (ModelPart) second[0];
    var swapped = serving.deploy(deploy(next, null, null));
    assertEquals(next.modelVersion(), swapped.active());
    assertEquals(part.modelVersion(), swapped.previous());
    assertEquals(
        next.modelVersion(), serving.predict("loan", batch("vehicle_scale")).modelVersion());
    var back = serving.rollback("loan");
    assertEquals(part.modelVersion(), back.active());
    assertSame((Table) first[1], serving.predict("loan", batch("vehicle_scale")));
    var split =
        serving.deploy(
            new Serving.Deploy(
                "loan", next.modelId(), next.modelVersion(), 0.5, null, null, Map.of()));
    assertEquals(0.5, split.bShare());
    java.util.Set<String> seen = new java.util.HashSet<>();
    JsonNode one = batch("vehicle_scale").get("rows").get(0);
    for (int k = 0; k < 200 && seen.size() < 2; k++) {
      seen.add(serving.predict("loan", one).modelVersion());
    }
    assertEquals(java.util.Set.of(part.modelVersion(), next.modelVersion()), seen);

    // the guest node restarts: the service, its versions and split are served again
    nodes.get(0).close();
    nodes.set(0, new FlowNode(net.party(9999), dir.resolve("p9999"), null, 2));
    var status = nodes.get(0).serving().status().get(0);
    assertEquals(part.modelVersion(), status.active());
    assertEquals(next.modelVersion(), status.b());
    nodes.get(0).serving().rollback("loan"); // ends the split: the previous is the new version
    assertSame((Table) second[1], nodes.get(0).serving().predict("loan", batch("vehicle_scale")));
  }

  /**
   * Horizontal models are served by any one party alone, here a host (FeatureScale applied for the
   * network): every row as its training job predicted it.
   */
  @Test
  void homoLrAndNn_servedByOnePartyAlone_asTheJobPredictedThem() throws Exception {
    net = InProcessFederation.network();
    for (int party : List.of(9999, 10000, 10001)) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
    for (String set : List.of("breast", "vehicle_scale")) {
      for (int i = 0; i < 2; i++) {
        String name = set + "_homo_" + (i == 0 ? "guest" : "host");
        nodes
            .get(i)
            .tables()
            .upload(
                DATA.resolve(name + ".csv"),
                "experiment",
                name,
                CsvOptions.labeled().withLabelColumn("y"),
                false);
      }
    }
    for (String[] job :
        List.of(
            new String[] {"homo_lr", "breast", "homo_lr_0"},
            new String[] {"homo_nn", "vehicle_scale", "homo_nn_0"})) {
      String jobId =
          FlowNodeTest.succeed(
              nodes.get(0),
              JSON.readTree(JOBS.resolve(job[0] + "_dsl.json").toFile()),
              JSON.readTree(JOBS.resolve(job[0] + "_conf.json").toFile()),
              600);
      ModelPart part = nodes.get(1).models().parts(jobId).get(0);
      Serving host = nodes.get(1).serving();
      var deployed =
          host.deploy(
              new Serving.Deploy(
                  job[0].replace('_', '-'),
                  part.modelId(),
                  part.modelVersion(),
                  null,
                  null,
                  null,
                  Map.of()));
      assertEquals(List.of(), deployed.hosts());
      Serving.Reply reply =
          host.predict(job[0].replace('_', '-'), requestOf(job[1] + "_homo_host.csv"));
      assertEquals(1, reply.parties().size());
      assertSame(nodes.get(1).tables().read(FlowNode.outputNamespace(jobId), job[2]), reply);
    }
  }

  /**
   * Hetero SecureBoost (breast, two parties): the host answers with its decisions at every split in
   * one call, the guest walks the trees; every row as the batch predict job scored it. It cannot
   * degrade (refused at deploy), and a host out of time fails the request naming it.
   */
  @Test
  void secureBoost_servedAsTheBatchPredictJob() throws Exception {
    start("breast");
    String jobId =
        FlowNodeTest.succeed(
            nodes.get(0),
            JSON.readTree(JOBS.resolve("hetero_secureboost_dsl.json").toFile()),
            JSON.readTree(JOBS.resolve("hetero_secureboost_conf.json").toFile()),
            600);
    ModelPart part = nodes.get(0).models().parts(jobId).get(0);
    ObjectNode predict =
        (ObjectNode) JSON.readTree(JOBS.resolve("hetero_secureboost_predict_conf.json").toFile());
    ((ObjectNode) predict.path("job_parameters").path("common"))
        .put("model_id", part.modelId())
        .put("model_version", part.modelVersion());
    String predictId =
        FlowNodeTest.succeed(
            nodes.get(0),
            JSON.readTree(JOBS.resolve("hetero_secureboost_predict_dsl.json").toFile()),
            predict,
            300);
    Table scored =
        nodes.get(0).tables().read(FlowNode.outputNamespace(predictId), "hetero_secure_boost_0");
    Serving serving = nodes.get(0).serving();
    FederaException degrade =
        assertThrows(FederaException.class, () -> serving.deploy(deploy(part, "degrade", null)));
    assertTrue(degrade.getMessage().contains("cannot degrade"), degrade.getMessage());
    serving.deploy(deploy(part, null, 2_000));
    Serving.Reply all = serving.predict("loan", batch("breast"));
    assertSame(scored, all);
    // a row with a missing guest feature is routed as the trees were trained (null: missing)
    ObjectNode one = (ObjectNode) batch("breast").get("rows").get(0);
    ((ObjectNode) one.get("features")).putNull("x0");
    assertEquals(1, serving.predict("loan", one).predictions().size());
  }
}
