package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = FederaCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String data(String file) {
    return Path.of(System.getProperty("federa.data.dir"), file).toString();
  }

  @Test
  void localTrain_lrOnBreast_printsJsonWithTrainAuc() throws Exception {
    Run r =
        run(
            "local-train",
            "--guest",
            data("breast_hetero_guest.csv"),
            "--host",
            data("breast_hetero_host.csv"),
            "--model",
            "lr",
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals("lr", j.get("model").asText());
    assertEquals(569, j.get("joined_rows").asInt());
    assertEquals(30, j.get("features").asInt());
    assertEquals(0.9974, j.get("train").get("auc").asDouble(), 0.005);
    assertTrue(j.get("holdout").isEmpty());
  }

  @Test
  void benchFederation_timesEveryPathTheSameWayAndDerivesItsRatiosFromThem() throws Exception {
    Run r =
        run(
            "bench",
            "federation",
            "--mib",
            "4",
            "--runs",
            "3",
            "--warmup",
            "0",
            "--small",
            "5",
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals(4L << 20, j.get("bytes").asLong());
    for (String path : new String[] {"tcp", "tls", "tls_store", "federation", "stream"}) {
      JsonNode p = j.get("paths").get(path);
      JsonNode runs = p.get("runs_s");
      assertEquals(3, runs.size(), path);
      double[] sorted = new double[3];
      for (int i = 0; i < 3; i++) {
        sorted[i] = runs.get(i).asDouble();
        assertTrue(sorted[i] > 0, path);
      }
      java.util.Arrays.sort(sorted);
      assertEquals(sorted[1], p.get("s").asDouble(), 1e-12, path + ": the median");
      assertTrue(p.get("cpu_s").asDouble() >= 0, path);
    }
    double tcp = j.get("paths").get("tcp").get("s").asDouble();
    double federation = j.get("paths").get("federation").get("s").asDouble();
    assertEquals(tcp / federation, j.get("ratio_to_tcp").asDouble(), 1e-9);
    assertEquals(
        j.get("paths").get("tls_store").get("s").asDouble() / federation,
        j.get("federation_ratio_to_floor").asDouble(),
        1e-9);
    assertTrue(j.get("small_p99_ms").asDouble() >= j.get("small_p50_ms").asDouble());
  }

  @Test
  void localTrain_gbdtWithHoldout_reportsBothTables() throws Exception {
    Run r =
        run(
            "local-train",
            "--guest",
            data("breast_hetero_guest.csv"),
            "--host",
            data("breast_hetero_host.csv"),
            "--model",
            "gbdt",
            "--holdout-mod",
            "5");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("metric"));
    assertTrue(r.out().contains("holdout"));
    assertTrue(r.out().matches("(?s).*auc\\s+0\\.9\\d+\\s+0\\.9\\d+.*"), r.out());
  }

  @Test
  void localTrain_withRaggedCsv_exitsTwoAndNamesTheLine() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "id,y,x0\n1,1,0.5\n2,0\n");
    Run r = run("local-train", "--guest", bad.toString(), "--model", "lr");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("bad.csv line 3: 2 values but the header has 3 columns"), r.err());
  }

  @Test
  void localTrain_errorWithJson_isAJsonObject() throws Exception {
    Run r =
        run(
            "local-train",
            "--guest",
            dir.resolve("missing.csv").toString(),
            "--model",
            "lr",
            "--json");
    assertEquals(2, r.exit());
    JsonNode error = r.json().get("error");
    assertEquals("NOT_FOUND", error.get("code").asText());
    assertTrue(error.get("message").asText().contains("missing.csv: no such file"));
  }

  @Test
  void localTrain_unknownModel_namesTheChoices() {
    Run r = run("local-train", "--guest", data("breast_hetero_guest.csv"), "--model", "svm");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown model 'svm'; choose lr, linr or gbdt"), r.err());
  }

  @Test
  void datagen_thenLocalTrain_learnsTheKnownModel() throws Exception {
    Run gen =
        run(
            "datagen",
            "--out",
            dir.toString(),
            "--rows",
            "3000",
            "--guest-features",
            "3",
            "--host-features",
            "5",
            "--overlap",
            "0.5",
            "--json");
    assertEquals(0, gen.exit(), gen.err());
    assertEquals(1500, gen.json().get("intersection").asInt());
    Run train =
        run(
            "local-train",
            "--guest",
            gen.json().get("guest").asText(),
            "--host",
            gen.json().get("host").asText(),
            "--model",
            "lr",
            "--json");
    assertEquals(0, train.exit(), train.err());
    assertEquals(1500, train.json().get("joined_rows").asInt());
    assertTrue(train.json().get("train").get("auc").asDouble() > 0.85);
  }

  @Test
  void datagenHomo_writesOneFilePerPartyAndATestFile() throws Exception {
    Run gen =
        run(
            "datagen",
            "--homo",
            "--out",
            dir.toString(),
            "--rows",
            "1000",
            "--parties",
            "4",
            "--dirichlet-alpha",
            "0.5",
            "--json");
    assertEquals(0, gen.exit(), gen.err());
    assertEquals(4, gen.json().get("parties").size());
    int total = 0;
    for (JsonNode p : gen.json().get("parties")) {
      assertTrue(Files.exists(Path.of(p.get("file").asText())));
      total += p.get("rows").asInt();
    }
    assertEquals(1000, total);
    assertEquals(200, gen.json().get("test_rows").asInt());
  }

  @Test
  void version_json_hasTheVersion() throws Exception {
    Run r = run("version", "--json");
    assertEquals(0, r.exit());
    assertTrue(r.json().get("federa").asText().matches("\\d+\\.\\d+\\.\\d+.*"));
  }

  @Test
  void initAddParty_takesThePortAfterTheFederations() throws Exception {
    String fed = dir.resolve("fed").toString();
    Run init =
        run(
            "init",
            "--dir",
            fed,
            "--parties",
            "9999:guest-org,10000:host-org,10001:arbiter-org",
            "--base-port",
            "46000",
            "--json");
    assertEquals(0, init.exit(), init.out() + init.err());
    Run add = run("init", "--dir", fed, "--add-party", "10002:host-org-2", "--json");
    assertEquals(0, add.exit(), add.out() + add.err());
    assertEquals(
        "127.0.0.1:46003", add.json().get("parties").get(0).get("address").asText(), add.out());
  }

  @Test
  void initThenCheck_reportsEveryPartyWithTlsIdentityAndLatency() throws Exception {
    Run init =
        run(
            "init",
            "--dir",
            dir.resolve("fed").toString(),
            "--parties",
            "9999:guest-org,10000:host-org",
            "--base-port",
            "0",
            "--json");
    assertEquals(2, init.exit(), "port 0 is refused: " + init.out());
    int p1;
    int p2;
    p1 = io.federa.core.io.LoopbackPorts.pick();
    p2 = io.federa.core.io.LoopbackPorts.pick();
    init =
        run(
            "init",
            "--dir",
            dir.resolve("fed").toString(),
            "--parties",
            "9999:guest-org@127.0.0.1:" + p1 + ",10000:host-org@127.0.0.1:" + p2,
            "--json");
    assertEquals(0, init.exit(), init.err());
    Path guest = Path.of(init.json().get("parties").get(0).get("conf").asText());
    Path host = Path.of(init.json().get("parties").get(1).get("conf").asText());
    try (var node =
        io.federa.federation.GrpcFederation.start(io.federa.federation.NodeConfig.load(host))) {
      Run check = run("federation", "check", "--node", guest.toString(), "--json");
      assertEquals(0, check.exit(), check.err());
      JsonNode parties = check.json().get("parties");
      assertEquals(2, parties.size());
      JsonNode hostRow = parties.get(1);
      assertEquals(10000, hostRow.get("party_id").asInt());
      assertTrue(hostRow.get("reachable").asBoolean());
      assertTrue(hostRow.get("tls_verified").asBoolean());
      assertTrue(hostRow.get("rtt_ms").asDouble() > 0);
      assertTrue(hostRow.has("clock_skew_ms"));
      JsonNode guestRow = parties.get(0); // the guest's own node is not running
      assertTrue(!guestRow.get("reachable").asBoolean());
      assertTrue(guestRow.get("error").asText().contains("UNAVAILABLE"), guestRow.toString());
    }
    // hardening finding 11: with the peer down the check fails, not just prints
    Run down = run("federation", "check", "--node", guest.toString(), "--timeout", "1", "--json");
    assertEquals(3, down.exit(), down.out());
    assertTrue(!down.json().get("parties").get(1).get("reachable").asBoolean());
  }

  @Test
  void uploadWithFatesConf_thenListInfoDownloadDelete() throws Exception {
    Run init =
        run(
            "init",
            "--dir",
            dir.resolve("fed").toString(),
            "--parties",
            "9999:g,10000:h",
            "--json");
    assertEquals(0, init.exit(), init.err());
    String conf = dir.resolve("fed/party-9999/node.yaml").toString();
    Path fateConf = dir.resolve("upload.json");
    java.nio.file.Files.writeString(
        fateConf,
        "{\"file\": \"/data/projects/fate/examples/data/breast_hetero_guest.csv\","
            + " \"table_name\": \"breast_hetero_guest\", \"namespace\": \"experiment\","
            + " \"head\": 1, \"partition\": 8}");
    Run up = run("upload", "--node", conf, "-c", fateConf.toString(), "--json");
    assertEquals(0, up.exit(), up.out() + up.err());
    assertEquals(569, up.json().get("rows").asInt());
    assertEquals("y", up.json().get("label").asText());
    Run list = run("table", "list", "--node", conf, "--json");
    assertEquals(1, list.json().get("tables").size());
    Run again = run("upload", "--node", conf, "-c", fateConf.toString(), "--json");
    assertEquals(2, again.exit());
    assertTrue(again.json().get("error").get("message").asText().contains("--replace"));
    Path out = dir.resolve("out.csv");
    Run down = tableCommand(conf, "download", "--out", out.toString());
    assertEquals(0, down.exit(), down.out());
    assertEquals(570, java.nio.file.Files.readAllLines(out).size());
    Run del = tableCommand(conf, "delete");
    assertEquals(0, del.exit());
    Run info = tableCommand(conf, "info");
    assertEquals(2, info.exit());
    assertEquals("NOT_FOUND", info.json().get("error").get("code").asText());
  }

  /** {@code federa table ACTION} on the uploaded breast guest table, with {@code --json}. */
  private static Run tableCommand(String conf, String action, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "table",
                action,
                "--node",
                conf,
                "--namespace",
                "experiment",
                "--table",
                "breast_hetero_guest"));
    args.addAll(java.util.List.of(extra));
    args.add("--json");
    return run(args.toArray(String[]::new));
  }

  /**
   * Hardening's path test for the CLI: every option that names a job, component, namespace or table
   * refuses what could leave its place in a request ({@code ..}, {@code /}, {@code %2F}, a space, a
   * {@code ?}, 1,000 characters) as a usage error naming the rule, exit 2, never an internal error.
   */
  @Test
  void hostileNamesInEveryIdOption_areUsageErrors() throws Exception {
    String node = dir.resolve("none.yaml").toString();
    List<String> hostile =
        List.of("..", ".", "/", "../../etc", "%2F", "a b", "a?b", "a#b", "x".repeat(1000));
    List<List<String>> commands =
        List.of(
            List.of("query", "--job", "%s"),
            List.of("stop", "--job", "%s"),
            List.of("logs", "--job", "%s"),
            List.of("audit", "--job", "%s"),
            List.of("metrics", "--job", "%s"),
            List.of("metrics", "--job", "1", "--component", "%s"),
            List.of("output-data", "--job", "1", "--component", "%s"),
            List.of("output-model", "--job", "1", "--component", "%s"),
            List.of("rerun", "--job", "1", "--from", "%s"),
            List.of("table", "info", "--namespace", "%s", "--table", "t"),
            List.of("table", "delete", "--namespace", "e", "--table", "%s"));
    for (List<String> command : commands) {
      for (String bad : hostile) {
        List<String> args = new java.util.ArrayList<>();
        for (String a : command) {
          args.add(a.equals("%s") ? bad : a);
        }
        args.addAll(List.of("--node", node, "--json"));
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), args + ": " + r.out() + r.err());
        assertTrue(
            r.json().path("error").path("message").asText().contains("is not valid"),
            args + ": " + r.out());
      }
    }
  }
}
