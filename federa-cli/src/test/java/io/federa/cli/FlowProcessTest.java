package io.federa.cli;

import static io.federa.cli.CliTest.data;
import static io.federa.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.NodeProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The breast job through flow with three node processes on real sockets and the real 2048-bit path,
 * driven by the CLI: upload, submit, query, metrics, logs. The host's node is SIGKILLed in the
 * middle of training and started again; the job completes. A wrong DSL and a missing table each get
 * their documented error.
 */
class FlowProcessTest {
  private static final Path JOBS =
      Path.of(System.getProperty("federa.data.dir")).getParent().resolve("federa");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static JsonNode ok(CliTest.Run r) throws Exception {
    assertEquals(0, r.exit(), r.out() + r.err());
    return r.json();
  }

  @Test
  void breastJob_survivesAKilledHostNode_andBadJobsGetTheirErrors() throws Exception {
    List<Path> confs = LocalFederation.configure(dir, LocalFederation.vertical(1, true));
    usePostgresqlWhenAvailable(confs);
    for (Path conf : confs) {
      // a short watchdog, so that the killed host is shown unreachable well within 30 s
      Files.writeString(
          conf,
          "watchdog: {heartbeat_s: 1, unreachable_after_s: 5, fail_after_s: 600}\n",
          java.nio.file.StandardOpenOption.APPEND);
    }
    String guest = confs.get(0).toString();
    String host = confs.get(1).toString();
    try (var nodes = new NodeProcesses(dir)) {
      nodes.startAll(confs);
      ok(
          run(
              "upload",
              "--node",
              guest,
              "--file",
              data("breast_hetero_guest.csv"),
              "--namespace",
              "experiment",
              "--table",
              "breast_hetero_guest",
              "--label",
              "y",
              "--json"));
      ok(
          run(
              "upload",
              "--node",
              host,
              "--file",
              data("breast_hetero_host.csv"),
              "--namespace",
              "experiment",
              "--table",
              "breast_hetero_host",
              "--no-label",
              "--json"));

      // a wrong DSL: refused at submit, with the JSON path and the fix
      ObjectNode dsl = (ObjectNode) JSON.readTree(JOBS.resolve("hetero_lr_dsl.json").toFile());
      ((ObjectNode) dsl.path("components").path("hetero_lr_0")).put("module", "HeteroLRX");
      Path badDsl = dir.resolve("bad_dsl.json");
      Files.writeString(badDsl, dsl.toString());
      CliTest.Run bad =
          run(
              "submit",
              "--node",
              guest,
              "--dsl",
              badDsl.toString(),
              "--conf",
              JOBS.resolve("hetero_lr_conf.json").toString());
      assertEquals(2, bad.exit());
      assertTrue(bad.err().contains("dsl.components.hetero_lr_0.module"), bad.err());

      // a table the host does not have: the host refuses, the submitter sees why
      ObjectNode conf = (ObjectNode) JSON.readTree(JOBS.resolve("hetero_lr_conf.json").toFile());
      ((ObjectNode) conf.at("/component_parameters/role/host/0/reader_0/table"))
          .put("name", "no_such_table");
      Path missing = dir.resolve("missing_conf.json");
      Files.writeString(missing, conf.toString());
      CliTest.Run refused =
          run(
              "submit",
              "--node",
              guest,
              "--dsl",
              JOBS.resolve("hetero_lr_dsl.json").toString(),
              "--conf",
              missing.toString(),
              "--wait");
      assertEquals(3, refused.exit(), refused.out() + refused.err());
      assertTrue(
          refused.err().contains("experiment.no_such_table does not exist at party 10000")
              && refused.err().contains("federa upload"),
          refused.err());

      // the real job; the host's node is killed mid-training and started again
      JsonNode submitted =
          ok(
              run(
                  "submit",
                  "--node",
                  guest,
                  "--dsl",
                  JOBS.resolve("hetero_lr_dsl.json").toString(),
                  "--conf",
                  JOBS.resolve("hetero_lr_conf.json").toString(),
                  "--json"));
      String jobId = submitted.path("job_id").asText();
      // FATE's answer to a submit: the model id and version the registry will hold
      assertEquals(
          "arbiter-10001#guest-9999#host-10000_model", submitted.path("model_id").asText());
      assertEquals(jobId, submitted.path("model_version").asText());
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (lossesSoFar(guest, jobId) < 5) {
        assertTrue(System.nanoTime() < deadline, "training did not reach iteration 5");
        Thread.sleep(100);
      }
      nodes.kill(10000);
      long killed = System.nanoTime();
      // the watchdog: the initiator shows the silent host unreachable, with its last step
      JsonNode seen;
      do {
        Thread.sleep(250);
        seen = ok(run("query", "--node", guest, "--job", jobId, "--json"));
        assertTrue(System.nanoTime() < deadline + 120_000_000_000L, "never unreachable: " + seen);
      } while (!unreachable(seen, 10000));
      double after = (System.nanoTime() - killed) / 1e9;
      assertTrue(after < 30, "the killed host was shown unreachable after " + after + " s");
      assertTrue(seen.toString().contains("hetero_lr_0"), "its last step is shown: " + seen);
      CliTest.Run text = run("query", "--node", guest, "--job", jobId);
      assertTrue(text.out().contains("party 10000: UNREACHABLE since"), text.out());
      nodes.start(10000);
      JsonNode job;
      deadline = System.nanoTime() + 300_000_000_000L;
      do {
        Thread.sleep(250);
        job = ok(run("query", "--node", guest, "--job", jobId, "--json"));
        assertTrue(System.nanoTime() < deadline, "the job did not end: " + job);
      } while (!List.of("success", "failed", "canceled").contains(job.path("state").asText()));
      assertEquals("success", job.path("state").asText(), job.toString());
      // retention: once each party's run has ended, the job's received messages are gone there
      // (their de-duplication marks kept); each party forgets them as its own run ends
      String jobDir =
          java.util.HexFormat.of()
              .formatHex(jobId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (Path party : confs) {
        Path inbox = party.getParent().resolve("data").resolve("federation").resolve("inbox");
        List<Path> files;
        do {
          Thread.sleep(100);
          try (var walk = Files.walk(inbox)) {
            files =
                walk.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().equals(jobDir))
                    .toList();
          }
          assertTrue(System.nanoTime() < deadline, "messages of the finished job remain: " + files);
          // done when every sender's directory of the job holds its "finished" mark only
        } while (files.isEmpty()
            || files.stream().anyMatch(p -> !p.getFileName().toString().equals("finished")));
      }
      int attempts = 0;
      for (JsonNode t : job.path("tasks")) {
        if (t.path("component").asText().equals("hetero_lr_0")) {
          attempts = Math.max(attempts, t.path("attempt").asInt());
        }
      }
      assertTrue(attempts >= 1, "hetero_lr_0 ran again after the restart: " + job);
      double auc = 0;
      for (JsonNode m :
          ok(run(
                  "metrics",
                  "--node",
                  guest,
                  "--job",
                  jobId,
                  "--component",
                  "evaluation_0",
                  "--json"))
              .path("metrics")) {
        if (m.path("name").asText().equals("auc")) {
          auc = m.path("value").asDouble();
        }
      }
      assertTrue(auc > 0.99, "auc " + auc + " (centralized 0.9974)");
      JsonNode logs =
          ok(run("logs", "--node", guest, "--job", jobId, "--party", "10000", "--json"));
      assertTrue(logs.path("lines").toString().contains("node restarted"), logs.toString());
      // training went on from the last epoch every party had saved, not from the start
      assertTrue(
          logs.path("lines").toString().contains("resumed from the checkpoint after epoch"),
          logs.toString());
      JsonNode preview =
          ok(
              run(
                  "output-data",
                  "--node",
                  guest,
                  "--job",
                  jobId,
                  "--component",
                  "hetero_lr_0",
                  "--limit",
                  "3",
                  "--json"));
      assertEquals(569, preview.path("total").asInt());
      assertEquals(3, preview.path("rows").size());

      // the privacy transcript of the host, fetched by the initiator
      JsonNode audit =
          ok(run("audit", "--node", guest, "--job", jobId, "--party", "10000", "--json"));
      assertTrue(audit.path("received").toString().contains("HE_CIPHERTEXTS"), audit.toString());
      assertTrue(!audit.path("received").toString().contains("UNDECLARED"), audit.toString());

      // the registry: each party's part, exported as an archive and imported again
      JsonNode models = ok(run("model", "list", "--node", host, "--json")).path("models");
      String modelId = models.get(0).path("model_id").asText();
      String archive = dir.resolve("host-model.zip").toString();
      ok(
          run(
              "model",
              "export",
              "--node",
              host,
              "--model-id",
              modelId,
              "--model-version",
              jobId,
              "--out",
              archive,
              "--json"));
      assertEquals(
          1,
          ok(run("model", "import", "--node", host, "--file", archive, "--json"))
              .path("parts")
              .asInt());
      CliTest.Run wrong = run("model", "import", "--node", guest, "--file", archive);
      assertEquals(2, wrong.exit(), wrong.err());
      assertTrue(wrong.err().contains("holds party 10000's part"), wrong.err());

      // the job deleted at every party: its tracking, logs and outputs go, its models stay
      JsonNode deleted = ok(run("job", "delete", "--node", guest, "--job", jobId, "--json"));
      assertEquals(3, deleted.path("parties").size(), deleted.toString());
      for (String node : List.of(guest, host)) {
        CliTest.Run gone = run("query", "--node", node, "--job", jobId);
        assertEquals(2, gone.exit(), gone.out() + gone.err());
      }
      assertTrue(
          ok(run("model", "list", "--node", host, "--json")).toString().contains(jobId),
          "the host's model part stays registered");
    }
  }

  /**
   * With FEDERA_TEST_POSTGRES_URL set (CI sets it), every node keeps its metadata in its own
   * PostgreSQL database: the same job, kill and restart run against PostgreSQL.
   */
  static void usePostgresqlWhenAvailable(List<Path> confs) throws Exception {
    String url = System.getenv("FEDERA_TEST_POSTGRES_URL");
    if (url == null) {
      return;
    }
    String suffix = Long.toHexString(System.nanoTime());
    try (var c = java.sql.DriverManager.getConnection(url);
        var st = c.createStatement()) {
      for (Path conf : confs) {
        var node = io.federa.federation.NodeConfig.load(conf);
        String db = "federa_proc_" + node.partyId() + "_" + suffix;
        st.execute("CREATE DATABASE " + db);
        node.withMetadataUrl(url.replace("/postgres?", "/" + db + "?")).save(conf);
      }
    }
  }

  private static int lossesSoFar(String node, String jobId) throws Exception {
    int n = 0;
    for (JsonNode m :
        ok(run("metrics", "--node", node, "--job", jobId, "--json")).path("metrics")) {
      if (m.path("name").asText().equals("loss")) {
        n++;
      }
    }
    return n;
  }

  /** Whether the initiator's query shows {@code party} unreachable. */
  private static boolean unreachable(JsonNode query, int party) {
    for (JsonNode p : query.path("parties")) {
      if (p.path("party_id").asInt() == party
          && !p.path("unreachable_since").isNull()
          && !p.path("unreachable_since").isMissingNode()) {
        return true;
      }
    }
    return false;
  }
}
