package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.federation.InProcessFederation;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.ModelPart;
import io.federa.flow.job.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three flow nodes in one JVM over the in-process federation: the breast job goes through submit,
 * every party accepts, runs and reports; refusals and failures reach the initiator with their
 * cause. (The same over real node processes and sockets is the CLI's integration test.)
 */
class FlowNodeTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final Path JOBS = DATA.getParent().resolve("federa");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  private List<FlowNode> federation(boolean uploadHost) {
    return federation(uploadHost, "breast", List.of(9999, 10000, 10001));
  }

  /** Nodes for {@code parties} (guest, host, arbiter, then more hosts), the data set uploaded. */
  private List<FlowNode> federation(boolean uploadHost, String set, List<Integer> parties) {
    return federation(uploadHost, set, parties, party -> null);
  }

  private int slots = 2;
  private Watchdog.Settings watch = Watchdog.Settings.DEFAULTS;

  private List<FlowNode> federation(
      boolean uploadHost,
      String set,
      List<Integer> parties,
      java.util.function.IntFunction<String> metadataUrl) {
    var net = InProcessFederation.network();
    for (int party : parties) {
      nodes.add(
          new FlowNode(
              net.party(party), dir.resolve("p" + party), metadataUrl.apply(party), slots, watch));
    }
    if (!set.equals("breast")) {
      nodes
          .get(0)
          .tables()
          .upload(
              DATA.resolve(set + "_hetero_guest.csv"),
              "experiment",
              set + "_hetero_guest",
              CsvOptions.labeled().withLabelColumn("y"),
              false);
      nodes
          .get(1)
          .tables()
          .upload(
              DATA.resolve(set + "_hetero_host.csv"),
              "experiment",
              set + "_hetero_host",
              CsvOptions.unlabeled(),
              false);
      return nodes;
    }
    for (int extra = 3; extra < parties.size(); extra++) {
      BreastNodes.upload(nodes.get(extra), false);
    }
    BreastNodes.upload(nodes.get(0), true);
    if (uploadHost) {
      BreastNodes.upload(nodes.get(1), false);
    }
    return nodes;
  }

  /** Submits a hetero LR job of 1,000 epochs and returns once every party is training. */
  private static String longTraining(FlowNode initiator) throws Exception {
    ObjectNode conf = (ObjectNode) read("hetero_lr_conf.json");
    ((ObjectNode) conf.path("component_parameters").path("common").path("hetero_lr_0"))
        .put("max_iter", 1000)
        .put("tol", 0);
    String jobId = initiator.submit(read("hetero_lr_dsl.json"), conf);
    // an event, not a guess: the arbiter's first loss reaches the initiator
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (initiator.metrics(jobId, "hetero_lr_0").stream()
        .noneMatch(m -> m.name().equals("loss"))) {
      assertTrue(System.nanoTime() < deadline, "the training never reported a loss");
      Thread.sleep(50);
    }
    return jobId;
  }

  private static JsonNode read(String file) throws Exception {
    return JSON.readTree(JOBS.resolve(file).toFile());
  }

  static JobStore.Job await(FlowNode node, String jobId, long seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      JobStore.Job job = node.query(jobId).orElseThrow().job();
      if (job.state().ended()) {
        return job;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + jobId + " did not end in " + seconds + " s");
  }

  @Test
  void breastJob_runsAtEveryPartyAndTheInitiatorSeesAllTasksAndMetrics() throws Exception {
    List<FlowNode> n = federation(true);
    ObjectNode conf = (ObjectNode) read("hetero_lr_conf.json");
    ((ObjectNode) conf.path("component_parameters").path("common").path("hetero_lr_0"))
        .put("max_iter", 30);
    String jobId = succeed(n.get(0), read("hetero_lr_dsl.json"), conf, 120);
    List<JobStore.Task> tasks = n.get(0).query(jobId).orElseThrow().tasks();
    assertEquals(15, tasks.size()); // 5 components × 3 parties
    assertTrue(tasks.stream().allMatch(t -> t.state() == State.SUCCESS), tasks.toString());
    List<JobStore.Metric> metrics = n.get(0).jobs().metrics(jobId, null);
    double auc =
        metrics.stream().filter(m -> m.name().equals("auc")).findFirst().orElseThrow().value();
    assertTrue(auc > 0.99, "auc " + auc); // centralized 0.9974; the vertical-FL demo 0.9928
    long losses =
        metrics.stream().filter(m -> m.name().equals("loss") && m.partyId() == 10001).count();
    assertTrue(
        losses >= 10 && losses <= 30, "the arbiter's per-iteration loss reaches the initiator");
    // why it stopped: the arbiter's converged flag (1 when tol held before max_iter) and log line
    double converged =
        metrics.stream()
            .filter(m -> m.name().equals("converged") && m.partyId() == 10001)
            .findFirst()
            .orElseThrow()
            .value();
    assertEquals(losses < 30 ? 1 : 0, (int) converged, "converged flag of " + losses + " epochs");
    assertEquals(
        569,
        (int)
            metrics.stream()
                .filter(m -> m.name().equals("intersect_count") && m.partyId() == 10000)
                .findFirst()
                .orElseThrow()
                .value());
    // each party registered its own part of the model
    assertEquals(1, n.get(1).models().parts(jobId).size());
    assertEquals(1, n.get(0).models().parts(jobId).size());
    assertNotNull(n.get(0).tables().info(FlowNode.outputNamespace(jobId), "hetero_lr_0"));
    assertTrue(
        n.get(0).logs(jobId, 10000).stream().anyMatch(l -> l.contains("hetero_lr_0 succeeded")));

    // the privacy transcript: what each party received, by declared kind
    java.util.Map<Integer, java.util.Set<String>> allowed =
        java.util.Map.of(
            9999,
            java.util.Set.of(
                "PUBLIC_KEY", "BLINDED_POINTS", "HE_CIPHERTEXTS", "MASKED_VALUES", "CONTROL"),
            10000,
            java.util.Set.of(
                "PUBLIC_KEY",
                "BLINDED_POINTS",
                "PSI_RESULT",
                "HE_CIPHERTEXTS",
                "MASKED_VALUES",
                "CONTROL"),
            10001,
            java.util.Set.of("HE_CIPHERTEXTS", "CONTROL", "PLAINTEXT_AGGREGATE"));
    for (int party : allowed.keySet()) {
      List<AuditRow> received = n.get(0).audit(jobId, party);
      assertTrue(received.size() > 3, party + ": " + received);
      for (var row : received) {
        String kind = row.kind();
        // no party receives another's plaintext features, labels, gradients or weights; the one
        // per-row plaintext is the hosts' partial scores X·w the guest sums to predict
        boolean prediction =
            party == 9999 && kind.equals("PARTIAL_SCORES") && row.message().startsWith("predict/");
        // L-BFGS: each party's penalty term and Gram matrix to the arbiter, the step back
        boolean lbfgs =
            kind.equals("PLAINTEXT_AGGREGATE")
                && (party == 10001
                    ? row.message().endsWith("/report")
                    : row.from() == 10001 && row.message().endsWith("/decision"));
        assertTrue(
            prediction || lbfgs || allowed.get(party).contains(kind), party + " received " + row);
        if (kind.equals("MASKED_VALUES")) {
          assertEquals(10001, row.from(), "only the arbiter decrypts, behind masks: " + row);
        }
      }
    }
    // the guest's training-set scores: the host's partial scores are the one per-row plaintext
    assertTrue(
        n.get(0).audit(jobId, 9999).stream()
            .noneMatch(
                r -> r.kind().equals("PARTIAL_SCORES") && !r.message().startsWith("predict/")));

    // rerun from the last step: earlier outputs are loaded, the evaluation runs again everywhere
    n.get(0).rerun(jobId, "evaluation_0");
    JobStore.Job again = await(n.get(0), jobId, 60);
    assertEquals(State.SUCCESS, again.state(), again.error());
    for (JobStore.Task t : n.get(0).query(jobId).orElseThrow().tasks()) {
      assertEquals(t.component().equals("evaluation_0") ? 1 : 0, t.attempt(), t.toString());
      assertEquals(State.SUCCESS, t.state());
    }
    assertEquals(
        auc,
        n.get(0).jobs().metrics(jobId, "evaluation_0").stream()
            .filter(m -> m.name().equals("auc"))
            .findFirst()
            .orElseThrow()
            .value(),
        1e-12);

    // a predict job with the trained model scores the rows as the training job did
    ObjectNode predictConf = (ObjectNode) read("hetero_lr_predict_conf.json");
    ModelPart part = n.get(0).models().parts(jobId).get(0);
    ((ObjectNode) predictConf.path("job_parameters").path("common"))
        .put("model_id", part.modelId())
        .put("model_version", part.modelVersion());
    String predictId = succeed(n.get(0), read("hetero_lr_predict_dsl.json"), predictConf, 60);
    var trained = n.get(0).tables().read(FlowNode.outputNamespace(jobId), "hetero_lr_0");
    var scored = n.get(0).tables().read(FlowNode.outputNamespace(predictId), "hetero_lr_0");
    assertEquals(trained.rows(), scored.rows());
    assertArrayEquals(trained.column(0), scored.column(0), 1e-9);

    // the host's part moves to another node of the same party as an archive; not to another party
    byte[] archive = n.get(1).models().exportModel(part.modelId(), part.modelVersion());
    var net = InProcessFederation.network();
    try (FlowNode moved = new FlowNode(net.party(10000), dir.resolve("moved"), null, 1);
        FlowNode other = new FlowNode(net.party(10001), dir.resolve("other"), null, 1)) {
      assertEquals(1, moved.models().importModel(archive).parts());
      ModelPart copy = moved.models().parts(null).get(0);
      assertEquals(part.modelId(), copy.modelId());
      assertEquals(
          java.nio.file.Files.readString(
              dir.resolve("p10000").resolve(n.get(1).models().parts(jobId).get(0).file())),
          java.nio.file.Files.readString(dir.resolve("moved").resolve(copy.file())));
      FederaException wrongParty =
          assertThrows(FederaException.class, () -> other.models().importModel(archive));
      assertTrue(
          wrongParty.getMessage().contains("holds party 10000's part"), wrongParty.getMessage());
    }

    // a predict job naming a model a party does not hold is refused by that party
    ((ObjectNode) predictConf.path("job_parameters").path("common")).put("model_version", "x");
    String refused = n.get(0).submit(read("hetero_lr_predict_dsl.json"), predictConf);
    JobStore.Job r = await(n.get(0), refused, 30);
    assertEquals(State.FAILED, r.state());
    assertTrue(r.error().contains("holds no part of model"), r.error());
  }

  /** Submits a job at {@code node} and waits until it succeeds; returns its id. */
  static String succeed(FlowNode node, JsonNode dsl, JsonNode conf, long seconds) throws Exception {
    String jobId = node.submit(dsl, conf);
    JobStore.Job job = await(node, jobId, seconds);
    assertEquals(State.SUCCESS, job.state(), job.error());
    return jobId;
  }

  static double metric(FlowNode node, String jobId, String name) {
    return node.jobs().metrics(jobId, null).stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name))
        .value();
  }

  @Test
  void twoHosts_theMultiHostJobReachesTheCentralizedAuc() throws Exception {
    List<FlowNode> n = federation(true, "breast", List.of(9999, 10000, 10001, 10002));
    ObjectNode conf = (ObjectNode) read("hetero_lr_multi_host_conf.json");
    String jobId = succeed(n.get(0), read("hetero_lr_dsl.json"), conf, 180);
    assertEquals(20, n.get(0).query(jobId).orElseThrow().tasks().size());
    double auc = metric(n.get(0), jobId, "auc");
    assertTrue(auc > 0.99, "auc " + auc);
  }

  @Test
  void oneVsAll_onVehicle_learnsEveryClass() throws Exception {
    List<FlowNode> n = federation(true, "vehicle_scale", List.of(9999, 10000, 10001));
    String jobId =
        succeed(n.get(0), read("hetero_lr_dsl.json"), read("hetero_lr_one_vs_all_conf.json"), 300);
    double accuracy = metric(n.get(0), jobId, "accuracy");
    System.out.printf("flow one-vs-all vehicle, L-BFGS per class: accuracy %.4f%n", accuracy);
    assertTrue(accuracy > 0.75, "accuracy " + accuracy + " (4 classes; chance is about 0.25)");
    // every class model's epochs of loss, told by the arbiter, and each model's converged flag
    long losses =
        n.get(0).jobs().metrics(jobId, "hetero_lr_0").stream()
            .filter(m -> m.name().equals("loss"))
            .count();
    assertTrue(losses >= 4 * 3 && losses < 4 * 100, "epochs: " + losses);
  }

  /**
   * The breast job with every node's metadata in PostgreSQL (one database per node), when
   * FEDERA_TEST_POSTGRES_URL names a server ({@code .ci/postgres} starts one; CI sets
   * FEDERA_REQUIRE_POSTGRES so the test cannot be skipped there).
   */
  @Test
  void breastJob_withPostgresqlMetadataStores() throws Exception {
    String url = System.getenv("FEDERA_TEST_POSTGRES_URL");
    if (System.getenv("FEDERA_REQUIRE_POSTGRES") != null) {
      assertNotNull(url, "FEDERA_REQUIRE_POSTGRES is set but FEDERA_TEST_POSTGRES_URL is not");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        url != null, "no PostgreSQL server: set FEDERA_TEST_POSTGRES_URL (see .ci/postgres)");
    String suffix = Long.toHexString(System.nanoTime());
    java.util.Map<Integer, String> urls = new java.util.HashMap<>();
    try (var c = java.sql.DriverManager.getConnection(url);
        var st = c.createStatement()) {
      for (int party : List.of(9999, 10000, 10001)) {
        String db = "federa_" + party + "_" + suffix;
        st.execute("CREATE DATABASE " + db);
        urls.put(party, url.replace("/postgres?", "/" + db + "?"));
      }
    }
    List<FlowNode> n = federation(true, "breast", List.of(9999, 10000, 10001), urls::get);
    String jobId = succeed(n.get(0), read("hetero_lr_dsl.json"), read("hetero_lr_conf.json"), 120);
    assertTrue(metric(n.get(0), jobId, "auc") > 0.99);
    // the metadata really is in PostgreSQL
    try (var c = java.sql.DriverManager.getConnection(urls.get(10000));
        var st = c.createStatement();
        var r = st.executeQuery("SELECT COUNT(*) FROM tasks WHERE job_id = '" + jobId + "'")) {
      r.next();
      assertEquals(5, r.getInt(1));
    }
  }

  /** Guest and host each hold labeled rows of the same features; the arbiter aggregates. */
  private List<FlowNode> homoFederation(String set) {
    var net = InProcessFederation.network();
    for (int party : List.of(9999, 10000, 10001)) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
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
    return nodes;
  }

  @Test
  void homoLr_onBreast_throughFlow() throws Exception {
    List<FlowNode> n = homoFederation("breast");
    String jobId = succeed(n.get(0), read("homo_lr_dsl.json"), read("homo_lr_conf.json"), 120);
    double auc = metric(n.get(0), jobId, "auc");
    assertTrue(auc > 0.98, "auc " + auc + " on the guest's rows");
    // the default strategy, L-BFGS on the parties' gradients, converges well before max_iter 100
    long rounds =
        n.get(0).jobs().metrics(jobId, "homo_lr_0").stream()
            .filter(m -> m.name().equals("loss") && m.partyId() == 10001)
            .count();
    assertTrue(rounds >= 3 && rounds < 40, "rounds: " + rounds);
    // both parties hold their own scale and the same global model; the arbiter holds no part
    assertEquals(2, n.get(0).models().parts(jobId).size());
    assertEquals(2, n.get(1).models().parts(jobId).size());
    assertEquals(0, n.get(2).models().parts(jobId).size());
    // in horizontal FL the arbiter does receive each party's plaintext update (no secure
    // aggregation yet): the transcript says so
    assertTrue(
        n.get(0).audit(jobId, 10001).stream().anyMatch(r -> r.kind().equals("MODEL_UPDATE")));
  }

  @Test
  void fatesHomoLrJob_withItsOwnParameters_runsOnceEachRoleHasItsOwnParty() throws Exception {
    List<FlowNode> n = homoFederation("breast");
    Path fate = JOBS.getParent().resolve("fate");
    ObjectNode conf = (ObjectNode) JSON.readTree(fate.resolve("homo_lr_train_conf.json").toFile());
    // the one change: FATE's single-machine file makes party 10000 host and arbiter
    ((ObjectNode) conf.path("role")).putArray("arbiter").add(10001);
    String jobId =
        succeed(
            n.get(0), JSON.readTree(fate.resolve("homo_lr_train_dsl.json").toFile()), conf, 120);
    double auc = metric(n.get(0), jobId, "auc");
    System.out.printf("FATE's homo_lr_train (SGD 0.15, min-max scaled): AUC %.4f%n", auc);
    assertTrue(auc > 0.97, "auc " + auc);
  }

  @Test
  void homoNn_onVehicle_throughFlow() throws Exception {
    List<FlowNode> n = homoFederation("vehicle_scale");
    String jobId = succeed(n.get(0), read("homo_nn_dsl.json"), read("homo_nn_conf.json"), 300);
    double accuracy = metric(n.get(0), jobId, "accuracy");
    System.out.printf("flow homo NN vehicle: accuracy %.4f on the guest's rows%n", accuracy);
    assertTrue(accuracy > 0.8, "accuracy " + accuracy);
  }

  @Test
  void homoNn_withoutLayers_isRefusedWithThePath() throws Exception {
    List<FlowNode> n = homoFederation("breast");
    ObjectNode conf = (ObjectNode) read("homo_nn_conf.json");
    ((ObjectNode) conf.at("/component_parameters/common/homo_nn_0")).remove("hidden_layers");
    FederaException e =
        assertThrows(FederaException.class, () -> n.get(0).submit(read("homo_nn_dsl.json"), conf));
    assertTrue(e.getMessage().contains("homo_nn_0.hidden_layers"), e.getMessage());
  }

  /**
   * One job slot per node and two initiators submitting at once: a job starts only when every party
   * reserved a slot for it, so neither can hold one party while waiting for the other; the second
   * waits in the queue and both finish.
   */
  @Test
  void oneSlotPerNode_twoInitiatorsAtOnce_bothFinish() throws Exception {
    slots = 1;
    List<FlowNode> n = federation(true);
    ObjectNode a = (ObjectNode) read("hetero_lr_conf.json");
    ((ObjectNode) a.at("/component_parameters/common/hetero_lr_0")).put("max_iter", 3);
    ObjectNode b = a.deepCopy();
    ((ObjectNode) b.path("initiator")).put("role", "host").put("party_id", 10000);
    String jobA = n.get(0).submit(read("hetero_lr_dsl.json"), a);
    String jobB = n.get(1).submit(read("hetero_lr_dsl.json"), b);
    assertEquals(State.SUCCESS, await(n.get(0), jobA, 120).state());
    assertEquals(State.SUCCESS, await(n.get(1), jobB, 120).state());
    List<String> logs = new java.util.ArrayList<>(n.get(0).logs(jobA, 9999));
    logs.addAll(n.get(1).logs(jobB, 10000));
    assertTrue(logs.stream().anyMatch(l -> l.contains("queued")), logs.toString());
  }

  @Test
  void aMissingTable_isRefusedByThePartyThatLacksIt() throws Exception {
    List<FlowNode> n = federation(false);
    String jobId = n.get(0).submit(read("hetero_lr_dsl.json"), read("hetero_lr_conf.json"));
    JobStore.Job job = await(n.get(0), jobId, 30);
    assertEquals(State.FAILED, job.state());
    assertTrue(
        job.error().contains("party 10000")
            && job.error().contains("experiment.breast_hetero_host does not exist")
            && job.error().contains("federa upload"),
        job.error());
  }

  @Test
  void aWrongDsl_isRefusedAtSubmitWithItsPath() throws Exception {
    List<FlowNode> n = federation(true);
    ObjectNode dsl = (ObjectNode) read("hetero_lr_dsl.json");
    ((ObjectNode) dsl.path("components").path("hetero_lr_0")).put("module", "HeteroLRX");
    FederaException e =
        assertThrows(
            FederaException.class, () -> n.get(0).submit(dsl, read("hetero_lr_conf.json")));
    assertTrue(e.getMessage().contains("dsl.components.hetero_lr_0.module"), e.getMessage());
  }

  @Test
  void aFailingComponent_failsTheJobWithThePartyAndCause_andRerunFromItSucceeds() throws Exception {
    List<FlowNode> n = federation(true);
    ObjectNode conf = (ObjectNode) read("hetero_lr_conf.json");
    // the host says it has the label: its table has none, so data_transform_0 fails there
    ((ObjectNode)
            conf.path("component_parameters")
                .path("role")
                .path("host")
                .path("0")
                .path("data_transform_0"))
        .put("with_label", true);
    ((ObjectNode) conf.path("component_parameters").path("common").path("hetero_lr_0"))
        .put("max_iter", 3);
    String jobId = n.get(0).submit(read("hetero_lr_dsl.json"), conf);
    JobStore.Job job = await(n.get(0), jobId, 60);
    assertEquals(State.FAILED, job.state());
    assertTrue(
        job.error().startsWith("party 10000, component data_transform_0:")
            && job.error().contains("--label"),
        job.error());
  }

  /**
   * Hardening finding 2: a host's failure in its own words (here its table file's absolute path)
   * stays at the host; the initiator's job error, task errors, log and the host's log as the
   * initiator fetches it carry the code and the component only.
   */
  @Test
  void aHostsOwnFailure_reachesTheGuestAsItsCodeOnly_neverItsPathsOrValues() throws Exception {
    List<FlowNode> n = federation(true);
    Path hostTables = dir.resolve("p10000").resolve("tables");
    try (var files = Files.walk(hostTables)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.delete(f);
      }
    }
    String jobId = n.get(0).submit(read("hetero_lr_dsl.json"), read("hetero_lr_conf.json"));
    JobStore.Job job = await(n.get(0), jobId, 60);
    assertEquals(State.FAILED, job.state());
    String secret = hostTables.toString();
    List<String> seen = new ArrayList<>();
    seen.add(job.error());
    n.get(0).query(jobId).orElseThrow().tasks().forEach(t -> seen.add(String.valueOf(t.error())));
    seen.addAll(n.get(0).logs(jobId, 9999));
    seen.addAll(n.get(0).logs(jobId, 10000));
    for (String s : seen) {
      assertFalse(s.contains(secret), "the host's path reached the guest: " + s);
    }
    assertTrue(
        job.error().contains("party 10000") && job.error().contains("[IO_FAILURE]"), job.error());
    assertTrue(
        n.get(1).logs(jobId, 10000).stream().anyMatch(l -> l.contains(secret)),
        "the host's own log keeps the cause for its operator");
  }

  /**
   * Hardening finding 7: after a job, everything a node keeps (tables, models, logs, checkpoints,
   * the metadata database) is its operator's only: directories 0700, files 0600.
   */
  @Test
  void afterAJob_theDataDirectoryIsOwnerOnly() throws Exception {
    List<FlowNode> n = federation(true);
    ObjectNode conf = (ObjectNode) read("hetero_lr_conf.json");
    ((ObjectNode) conf.path("component_parameters").path("common").path("hetero_lr_0"))
        .put("max_iter", 2);
    String jobId = n.get(0).submit(read("hetero_lr_dsl.json"), conf);
    assertEquals(State.SUCCESS, await(n.get(0), jobId, 120).state());
    for (Path data : List.of(dir.resolve("p9999"), dir.resolve("p10000"), dir.resolve("p10001"))) {
      List<String> open = new ArrayList<>();
      try (var all = Files.walk(data)) {
        for (Path p : all.toList()) {
          String mode =
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(p));
          String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
          if (!mode.equals(expected)) {
            open.add(data.relativize(p) + " " + mode);
          }
        }
      }
      assertTrue(open.isEmpty(), "readable by others: " + open);
      assertTrue(Files.exists(data.resolve("federa.db")));
    }
  }

  /**
   * Hardening finding 8: a job stopped while every party runs its training ends with every party's
   * task ended in the initiator's view too (a stopped component's report used to be lost with its
   * interrupted thread, leaving the task RUNNING forever).
   */
  @Test
  void aStoppedJob_endsEveryTaskInTheInitiatorsView() throws Exception {
    List<FlowNode> n = federation(true);
    String jobId = longTraining(n.get(0));
    long deadline = System.nanoTime() + 120_000_000_000L;
    assertTrue(n.get(0).stop(jobId));
    while (true) {
      List<JobStore.Task> tasks = n.get(0).query(jobId).orElseThrow().tasks();
      if (tasks.stream().allMatch(t -> t.state().ended())) {
        assertTrue(
            tasks.stream()
                .anyMatch(t -> t.component().equals("hetero_lr_0") && t.state() == State.CANCELED),
            tasks.toString());
        break;
      }
      assertTrue(System.nanoTime() < deadline, "tasks still not ended: " + tasks);
      Thread.sleep(50);
    }
    assertEquals(State.CANCELED, n.get(0).query(jobId).orElseThrow().job().state());
    assertTrue(!n.get(0).stop(jobId), "a second stop finds nothing running");
  }

  /**
   * The watchdog: a host whose node goes silent mid-training is shown unreachable in the
   * initiator's view with its last step, and after the deadline the job fails naming it.
   */
  @Test
  void aSilentHost_isShownUnreachable_thenTheJobFailsNamingIt() throws Exception {
    watch =
        new Watchdog.Settings(
            java.time.Duration.ofMillis(100),
            java.time.Duration.ofMillis(1500),
            java.time.Duration.ofSeconds(4));
    List<FlowNode> n = federation(true);
    String jobId = longTraining(n.get(0));
    long deadline = System.nanoTime() + 120_000_000_000L;
    FlowNode.JobView running = n.get(0).query(jobId).orElseThrow();
    assertEquals(
        List.of(10000, 10001), running.parties().stream().map(PartyView::partyId).toList());
    assertTrue(
        running.parties().stream().allMatch(p -> p.unreachableSince() == null),
        running.parties().toString());
    n.get(1).close(); // the host's node goes silent (its heartbeats stop)
    PartyView host;
    do {
      assertTrue(System.nanoTime() < deadline, "the host was never shown unreachable");
      Thread.sleep(50);
      host =
          n.get(0).query(jobId).orElseThrow().parties().stream()
              .filter(p -> p.partyId() == 10000)
              .findFirst()
              .orElse(null);
    } while (host != null && host.unreachableSince() == null);
    if (host != null) {
      assertTrue(host.lastStep().contains("hetero_lr_0"), host.toString());
    }
    JobStore.Job failed = await(n.get(0), jobId, 120);
    assertEquals(State.FAILED, failed.state());
    assertTrue(
        failed.error().contains("party 10000 unreachable since")
            && failed.error().contains("hetero_lr_0"),
        failed.error());
    assertTrue(
        n.get(0).logs(jobId, 9999).stream()
            .anyMatch(l -> l.contains("party 10000 unreachable since")));
  }
}
