package io.federa.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.cli.NodeApi;
import io.federa.core.FederaException;
import io.federa.federation.NodeConfig;
import io.federa.federation.pki.FederationPki;
import io.federa.federation.pki.PartySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A federation on this machine as organisations run one: a fresh PKI in a temporary directory, one
 * long-running {@code federa node start} process per party (gRPC over mutual TLS and its HTTP API,
 * on free loopback ports), each party's files uploaded into its own node, jobs submitted at the
 * initiator's node through flow. Every demo and benchmark that runs a federated job runs it here;
 * closing stops the nodes and, unless kept, deletes the directory.
 */
public final class LocalFederation implements AutoCloseable {
  /** FATE's party ids: the guest, the first host, the arbiter; more hosts count on from 10002. */
  public static final int GUEST = 9999;

  public static final int HOST = 10000;
  public static final int ARBITER = 10001;

  private final Path dir;
  private final NodeProcesses nodes;
  private final boolean keep;

  private LocalFederation(Path dir, NodeProcesses nodes, boolean keep) {
    this.dir = dir;
    this.nodes = nodes;
    this.keep = keep;
  }

  /** The id of host {@code h} (0-based): 10000, then 10002, 10003, … (10001 is the arbiter's). */
  static int host(int h) {
    return h == 0 ? HOST : ARBITER + h;
  }

  /** Makes the PKI for {@code parties} (id → organisation) and starts one node process each. */
  static LocalFederation start(Map<Integer, String> parties, boolean keep) throws IOException {
    Path dir = Files.createTempDirectory("federa-");
    List<Path> confs = configure(dir, parties);
    var nodes = new NodeProcesses(dir);
    var federation = new LocalFederation(dir, nodes, keep);
    try {
      nodes.startAll(confs);
    } catch (RuntimeException e) {
      federation.close();
      throw e;
    }
    return federation;
  }

  /**
   * The federation's PKI and node configurations under {@code dir}: each party on free loopback
   * ports for its peers and its HTTP API. Returns the node.yaml files, in the order of {@code
   * parties}.
   */
  public static List<Path> configure(Path dir, Map<Integer, String> parties) throws IOException {
    List<PartySpec> specs = new ArrayList<>();
    for (var e : parties.entrySet()) {
      specs.add(
          new PartySpec(
              e.getKey(), e.getValue(), "127.0.0.1", io.federa.core.io.LoopbackPorts.pick()));
    }
    List<Path> confs = new FederationPki().init(dir.resolve("federation"), specs);
    for (Path conf : confs) {
      NodeConfig c = NodeConfig.load(conf);
      c.withHttp(new NodeConfig.Address("127.0.0.1", io.federa.core.io.LoopbackPorts.pick()))
          .save(conf);
    }
    return confs;
  }

  /** The organisations of a vertical job: guest, hosts and, if wanted, the arbiter. */
  public static Map<Integer, String> vertical(int hosts, boolean arbiter) {
    Map<Integer, String> parties = new LinkedHashMap<>();
    parties.put(GUEST, "guest-org");
    for (int h = 0; h < hosts; h++) {
      parties.put(host(h), hosts == 1 ? "host-org" : "host-org-" + (h + 1));
    }
    if (arbiter) {
      parties.put(ARBITER, "arbiter-org");
    }
    return parties;
  }

  Path dir() {
    return dir;
  }

  Path conf(int party) {
    return nodes.conf(party);
  }

  NodeApi api(int party) {
    return NodeApi.of(nodes.conf(party));
  }

  NodeProcesses nodes() {
    return nodes;
  }

  /**
   * Uploads {@code file} into {@code party}'s node as {@code namespace.name} (replacing an earlier
   * one), with {@code label} as its label column (null: none); an error names the party.
   */
  JsonNode upload(
      int party, Path file, String namespace, String name, String idColumn, String label) {
    var query = new LinkedHashMap<String, String>();
    query.put("namespace", namespace);
    query.put("name", name);
    query.put("id_column", idColumn);
    query.put("label", label);
    query.put("replace", "true");
    try {
      return api(party).postCsv("/tables", query, file);
    } catch (FederaException e) {
      throw new FederaException(e.code(), "party " + party + ": " + e.getMessage(), e);
    }
  }

  /** A file's table name: its name without {@code .csv}, as FATE's examples name their tables. */
  static String tableName(Path file) {
    return file.getFileName().toString().replaceFirst("(?i)\\.csv$", "");
  }

  /** Submits a job at {@code initiator}'s node; returns its id. */
  String submit(int initiator, JsonNode dsl, JsonNode conf) {
    var body = new LinkedHashMap<String, Object>();
    body.put("dsl", dsl);
    body.put("conf", conf);
    return api(initiator).post("/jobs", body).path("job_id").asText();
  }

  /** The values of metric {@code name} of {@code component}, as {@code party} reported them. */
  List<Double> metric(int initiator, String jobId, String component, String name, int party) {
    List<Double> values = new ArrayList<>();
    for (JsonNode m :
        api(initiator).get("/jobs/" + jobId + "/metrics?component=" + component).path("metrics")) {
      if (m.path("name").asText().equals(name) && m.path("party_id").asInt() == party) {
        values.add(m.path("value").asDouble());
      }
    }
    return values;
  }

  @Override
  public void close() {
    if (keep) {
      return;
    }
    nodes.close();
    LoopbackNodes.deleteTree(dir);
  }
}
