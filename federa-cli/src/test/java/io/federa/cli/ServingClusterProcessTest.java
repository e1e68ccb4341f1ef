package io.federa.cli;

import static io.federa.cli.CliTest.data;
import static io.federa.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.cli.bench.ServingBench;
import io.federa.cli.bench.Wrk;
import io.federa.cli.demo.LocalFederation;
import io.federa.cli.demo.NodeProcesses;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.federation.NodeConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host party's serving cluster between processes on real sockets (2048-bit training): two serving
 * instances ({@code federa serving instance}) register with the host's node and answer the guest in
 * turn with the node's numbers; a new state rolls out instance by instance and is rolled back when
 * one instance cannot take it; under wrk load one instance is killed and no request fails (the
 * guest logs the failover); with the host's node stopped, its instances go on answering.
 */
class ServingClusterProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void twoHostInstancesServe_rollOut_failOver() throws Exception {
    List<Path> confs = LocalFederation.configure(dir, LocalFederation.vertical(1, true));
    String guest = confs.get(0).toString();
    String host = confs.get(1).toString();
    // the guest's gRPC endpoint, opened by the serving token or a client certificate of its own CA
    Path clients = dir.resolve("clients");
    new io.federa.federation.pki.FederationPki()
        .init(clients, List.of(new io.federa.federation.pki.PartySpec(1, "app", "127.0.0.1", 1)));
    int grpcPort = io.federa.core.io.LoopbackPorts.pick();
    NodeConfig.load(confs.get(0))
        .withServing(
            new NodeConfig.ServingConf(
                new NodeConfig.Address("127.0.0.1", grpcPort),
                clients.resolve("party-1/ca.crt").toString(),
                null))
        .save(confs.get(0));
    try (var nodes = new NodeProcesses(dir)) {
      nodes.startAll(confs);
      PipelineProcessTest.upload(guest, "breast_hetero_guest", true);
      PipelineProcessTest.upload(host, "breast_hetero_host", false);
      JsonNode job = ServingProcessTest.trainBreastLr(guest);
      String modelId = job.path("model_id").asText();
      String version = job.path("model_version").asText();
      PipelineProcessTest.ok(deploy(guest, modelId, version));

      NodeConfig node = NodeConfig.load(confs.get(0));
      String base = "http://" + node.httpAddress().host() + ":" + node.httpAddress().port();
      String token = Files.readString(node.dataPath().resolve("serving.token")).trim();
      Table rows =
          CsvTableReader.read(
              Path.of(data("breast_hetero_guest.csv")), CsvOptions.labeled().withLabelColumn("y"));
      String request = JSON.writeValueAsString(ServingProcessTest.requestOf(rows, 3));
      JsonNode fromNode = JSON.readTree(post(base, token, request).body());
      assertEquals("null", String.valueOf(fromNode.at("/parties/1/instance").textValue()));
      GrpcClients.check(
          grpcPort,
          node.caFile(),
          clients.resolve("party-1"),
          token,
          rows,
          fromNode.at("/predictions/0/score").asDouble());

      // instance b reads a copy of the node's feature indexes, taken now
      Path hostData = NodeConfig.load(confs.get(1)).dataPath();
      Path copy = Files.createDirectories(dir.resolve("copy/serving"));
      try (var files = Files.list(hostData.resolve("serving"))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".db")).toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      nodes.startInstance(10000, "a", null);
      nodes.startInstance(10000, "b", copy.getParent());
      awaitInstances(host, l -> live(l, "a", version) && live(l, "b", version));

      // the guest learns the instances and asks them in turn; they answer the node's numbers
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 600 && seen.size() < 2; i++) {
        JsonNode a = JSON.readTree(post(base, token, request).body());
        assertEquals(
            fromNode.at("/predictions/0/score").asDouble(),
            a.at("/predictions/0/score").asDouble(),
            1e-12,
            a.toString());
        if (a.at("/parties/1/instance").isTextual()) {
          seen.add(a.at("/parties/1/instance").asText());
        } else {
          Thread.sleep(50); // the guest refreshes the host's instances once a heartbeat interval
        }
      }
      assertEquals(Set.of("a", "b"), seen);
      if (Chromium.available()) {
        boardShowsTheInstances(host);
      }

      // a feature table without the last row: instance b (its copy lacks that index) cannot take
      // it, so a is rolled back and the deploy fails naming b
      Path fewer = dir.resolve("fewer.csv");
      List<String> lines = Files.readAllLines(Path.of(data("breast_hetero_host.csv")));
      Files.write(fewer, lines.subList(0, lines.size() - 1));
      PipelineProcessTest.ok(
          run(
              "upload",
              "--node",
              host,
              "--file",
              fewer.toString(),
              "--namespace",
              "experiment",
              "--table",
              "fewer",
              "--no-label",
              "--json"));
      String last = rows.id(rows.rows() - 1);
      String lastRequest =
          JSON.writeValueAsString(ServingProcessTest.requestOf(rows, rows.rows() - 1));
      CliTest.Run refused =
          run(
              ServingProcessTest.deployArgs(
                  guest, modelId, version, "--table", "10000=experiment.fewer"));
      String said = refused.out() + refused.err();
      System.out.println("serving cluster, gray release refused: " + said);
      assertTrue(refused.exit() != 0, said);
      assertTrue(said.contains("instance b"), said);
      assertTrue(said.contains("rolled back"), said);
      for (int i = 0; i < 6; i++) { // both instances (and the node) still hold the whole table
        HttpResponse<String> r = post(base, token, lastRequest);
        assertEquals(200, r.statusCode(), r.body());
      }

      // b restarted with the node's data directory: the same deploy rolls out to both
      nodes.killInstance("b");
      int b = nodes.startInstance(10000, "b", null);
      awaitInstances(
          host,
          l ->
              live(l, "a", version)
                  && live(l, "b", version)
                  && l.toString().contains("127.0.0.1:" + b + "\""));
      PipelineProcessTest.ok(
          run(
              ServingProcessTest.deployArgs(
                  guest, modelId, version, "--table", "10000=experiment.fewer")));
      for (int i = 0; i < 6; i++) { // whichever answers lacks the row now: fail names the party
        HttpResponse<String> r = post(base, token, lastRequest);
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.body().contains(last), r.body());
      }

      if (ServingProcessTest.wrk()) {
        underLoad_anInstanceKilled_failsNoRequest(nodes, base, token, rows);
      } else {
        nodes.killInstance("a");
        for (int i = 0; i < 10; i++) {
          assertEquals(200, post(base, token, request).statusCode());
        }
      }
      assertTrue(
          Files.readString(nodes.log("node-9999"))
              .contains("failover: party 10000's serving" + " instance a"),
          "the guest logged the failover");
      awaitInstances(host, l -> !live(l, "a", version) && live(l, "b", version));

      // the host's node stopped: its live instance goes on answering
      nodes.kill(10000);
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = post(base, token, request);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("b", JSON.readTree(r.body()).at("/parties/1/instance").asText());
      }
    }
  }

  /** The host's board: its Serving page lists both instances, live. */
  private static void boardShowsTheInstances(String host) throws Exception {
    String link =
        PipelineProcessTest.ok(run("board", "link", "--node", host, "--json")).get("url").asText();
    org.openqa.selenium.WebDriver browser = Chromium.start();
    try {
      browser.get(link);
      Chromium.waitFor(browser, org.openqa.selenium.By.id("jobs")); // logged in
      ((org.openqa.selenium.JavascriptExecutor) browser)
          .executeScript("location.hash = '#/serving'");
      for (String name : List.of("a", "b")) {
        Chromium.waitFor(
            browser, org.openqa.selenium.By.cssSelector("#instances [data-instance=" + name + "]"));
      }
      var states =
          browser.findElements(org.openqa.selenium.By.cssSelector("#instances .state-live"));
      assertEquals(2, states.size());
      Chromium.shot(browser, "serving-instances");
      Chromium.assertNoConsoleErrors(browser);
    } finally {
      browser.quit();
    }
  }

  /**
   * wrk against the service (policy fail: a failed host call would be a failed request) with both
   * instances live; instance a killed once the guest answered 20 more requests: none fails.
   */
  private void underLoad_anInstanceKilled_failsNoRequest(
      NodeProcesses nodes, String base, String token, Table rows) throws Exception {
    List<String> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add(JSON.writeValueAsString(ServingProcessTest.requestOf(rows, i)));
    }
    Wrk wrk =
        new Wrk(
            base + "/v1/predict/loan",
            token,
            bodies,
            Files.createDirectories(dir.resolve("wrk")),
            "cluster");
    double before = ServingProcessTest.count(base, token, "ok");
    var load =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return wrk.run(10, 4, 1, 0, "instance-killed");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    while (ServingProcessTest.count(base, token, "ok") < before + 20) {
      assertFalse(load.isDone(), "wrk ended before the guest answered 20 requests");
      Thread.sleep(50);
    }
    nodes.killInstance("a");
    ServingBench.Run run = load.get();
    System.out.printf("serving cluster under wrk, instance a killed mid-run: %s%n", run);
    assertEquals(0, run.errors(), run.toString());
    assertTrue(run.requests() > 20, run.toString());
  }

  private static CliTest.Run deploy(String guest, String modelId, String version) throws Exception {
    return run(ServingProcessTest.deployArgs(guest, modelId, version));
  }

  /** Waits until the host node's instances satisfy {@code until} (each heartbeat is 1 s). */
  private static void awaitInstances(String host, Predicate<JsonNode> until) throws Exception {
    JsonNode list = null;
    for (int i = 0; i < 600; i++) {
      list = PipelineProcessTest.ok(run("serving", "instances", "--node", host, "--json"));
      if (until.test(list)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the instances never became as expected: " + list);
  }

  private static boolean live(JsonNode list, String name, String version) {
    for (JsonNode i : list.path("instances")) {
      if (i.path("name").asText().equals(name)) {
        return i.path("live").asBoolean()
            && i.at("/serving/loan").toString().contains("\"" + version + "\"");
      }
    }
    return false;
  }

  private static HttpResponse<String> post(String base, String token, String body)
      throws Exception {
    return ServingProcessTest.post(base + "/v1/predict/loan", token, body);
  }
}
