package io.federa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main demo, as an organisation would run it: a fresh federation (CA, certificates, node
 * configs), three long-running node processes (guest, host, arbiter), each party's file uploaded
 * into its own node, the breast job of {@code examples/federa/} submitted at the guest and followed
 * through its HTTP API until it ends, then the centralized baseline on the joined files.
 */
final class FlowDemo {
  static final int GUEST = 9999;
  static final int HOST = 10000;
  static final int ARBITER = 10001;

  private final Path data;
  private final Path jobs;
  private final int maxIter;
  private final boolean keep;
  private final PrintWriter out;
  private final boolean quiet;

  FlowDemo(Path data, int maxIter, boolean keep, PrintWriter out, boolean quiet) {
    this.data = data;
    this.jobs = data.getParent().resolve("federa");
    this.maxIter = maxIter;
    this.keep = keep;
    this.out = out;
    this.quiet = quiet;
  }

  Map<String, Object> run(Progress progress) throws Exception {
    Path guestFile = data.resolve("breast_hetero_guest.csv");
    Path hostFile = data.resolve("breast_hetero_host.csv");
    for (Path p : List.of(guestFile, hostFile, jobs.resolve("hetero_lr_dsl.json"))) {
      if (!Files.isRegularFile(p)) {
        throw new FederaException(
            ErrorCode.NOT_FOUND, p + " does not exist; run from the project's root");
      }
    }
    long start = System.nanoTime();
    Path dir = Files.createTempDirectory("federa-demo-");
    List<Path> confs = federation(dir);
    var nodes = new NodeProcesses(dir);
    Map<String, Object> result;
    var timings = new LinkedHashMap<String, Object>();
    try {
      nodes.startAll(confs);
      timings.put("nodes_start_seconds", Timing.secondsSince(start));
      say(
          "three nodes started in %.1f s (guest %d, host %d, arbiter %d), logs in %s%n",
          Timing.secondsSince(start), GUEST, HOST, ARBITER, dir);
      NodeApi guest = NodeApi.of(nodes.conf(GUEST));
      long uploadStart = System.nanoTime();
      upload(guest, guestFile, "breast_hetero_guest", "y");
      upload(NodeApi.of(nodes.conf(HOST)), hostFile, "breast_hetero_host", null);
      timings.put("upload_seconds", Timing.secondsSince(uploadStart));

      var body = new LinkedHashMap<String, Object>();
      body.put("dsl", Json.mapper().readTree(jobs.resolve("hetero_lr_dsl.json").toFile()));
      ObjectNode conf =
          (ObjectNode) Json.mapper().readTree(jobs.resolve("hetero_lr_conf.json").toFile());
      ((ObjectNode) conf.path("component_parameters").path("common").path("hetero_lr_0"))
          .put("max_iter", maxIter);
      body.put("conf", conf);
      long submitted = System.nanoTime();
      String jobId = guest.post("/jobs", body).path("job_id").asText();
      Map<String, Object> job =
          JobWatch.follow(guest, jobId, submitted, quiet ? null : out, progress);
      timings.put("job_seconds", job.get("seconds"));
      timings.put("submit_to_first_component_ms", firstComponentMs(guest, jobId));
      result = summarise(guest, job, guestFile, hostFile, Timing.secondsSince(start));
      timings.put("total_seconds", Timing.secondsSince(start));
      result.put("timings", timings);
      if (keep) {
        result.put("dir", dir.toString());
        result.put("guest_node", nodes.conf(GUEST).toString());
      }
    } finally {
      if (!keep) {
        nodes.close();
        LoopbackNodes.deleteTree(dir);
      }
    }
    if (keep) {
      say(
          "%nthe nodes keep running: FEDERA_NODE=%s federa query --job %s%n"
              + "stop them with 'federa node stop --conf %s/federation/party-N/node.yaml'%n",
          result.get("guest_node"), result.get("job_id"), dir);
    }
    return result;
  }

  /**
   * From the job's creation at the initiator to the first task running at any party, by the
   * initiator's own clock (the time flow itself takes before any work starts).
   */
  static long firstComponentMs(NodeApi api, String jobId) {
    JsonNode job = api.get("/jobs/" + jobId);
    java.time.Instant created = java.time.Instant.parse(job.path("created_at").asText());
    java.time.Instant first = null;
    for (JsonNode t : job.path("tasks")) {
      if (t.hasNonNull("started_at")) {
        java.time.Instant s = java.time.Instant.parse(t.path("started_at").asText());
        first = first == null || s.isBefore(first) ? s : first;
      }
    }
    return first == null ? -1 : java.time.Duration.between(created, first).toMillis();
  }

  /** A CA, three parties on free loopback ports, each with a free port for its HTTP API. */
  static List<Path> federation(Path dir) throws java.io.IOException {
    List<PartySpec> specs = new ArrayList<>();
    specs.add(new PartySpec(GUEST, "guest-org", "127.0.0.1", LoopbackNodes.freePort()));
    specs.add(new PartySpec(HOST, "host-org", "127.0.0.1", LoopbackNodes.freePort()));
    specs.add(new PartySpec(ARBITER, "arbiter-org", "127.0.0.1", LoopbackNodes.freePort()));
    List<Path> confs = new FederationPki().init(dir.resolve("federation"), specs);
    for (Path conf : confs) {
      NodeConfig c = NodeConfig.load(conf);
      c.withHttp(new NodeConfig.Address("127.0.0.1", LoopbackNodes.freePort())).save(conf);
    }
    return confs;
  }

  private void upload(NodeApi node, Path file, String name, String label) {
    var body = new LinkedHashMap<String, Object>();
    body.put("file", file.toAbsolutePath().toString());
    body.put("namespace", "experiment");
    body.put("name", name);
    if (label != null) {
      body.put("label", label);
    }
    body.put("replace", true);
    JsonNode info = node.post("/tables", body);
    say(
        "uploaded %s as experiment.%s: %d rows, %d features%n",
        file.getFileName(), name, info.path("rows").asInt(), info.path("features").asInt());
  }

  private Map<String, Object> summarise(
      NodeApi guest, Map<String, Object> job, Path guestFile, Path hostFile, double seconds) {
    @SuppressWarnings("unchecked")
    Map<String, Object> evaluation = (Map<String, Object>) job.get("evaluation");
    List<Double> losses = new ArrayList<>();
    for (JsonNode m :
        guest
            .get("/jobs/" + job.get("job_id") + "/metrics?component=hetero_lr_0")
            .path("metrics")) {
      if (m.path("name").asText().equals("loss") && m.path("party_id").asInt() == ARBITER) {
        losses.add(m.path("value").asDouble());
      }
    }
    var result = new LinkedHashMap<String, Object>();
    result.put("job_id", job.get("job_id"));
    var fed = new LinkedHashMap<String, Object>();
    fed.put("model", "hetero LR (Paillier 2048-bit, Adam, Taylor loss, with arbiter) via flow");
    fed.put("auc", evaluation.get("auc"));
    fed.put("ks", evaluation.get("ks"));
    fed.put("iterations", losses.size());
    fed.put("losses", losses);
    fed.put("seconds", seconds);
    fed.put("job_seconds", job.get("seconds"));
    fed.put("first_component_ms", job.get("first_component_ms"));
    result.put("federated", fed);
    Map<String, Object> central = HeteroLrDemo.centralized(guestFile, List.of(hostFile), "id", "y");
    result.put("centralized", central);
    var inter = new LinkedHashMap<String, Object>();
    inter.put("rows", job.get("intersection"));
    inter.put("centralized_join_rows", central.remove("rows"));
    result.put("intersection", inter);
    result.put("processes", 3);
    result.put("key_bits", 2048);
    return result;
  }

  private void say(String format, Object... args) {
    if (!quiet) {
      out.printf(format, args);
      out.flush();
    }
  }
}
