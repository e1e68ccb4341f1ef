package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main demo: three real party processes, PSI, hetero LR, against centralized LR. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void demoOnBreastWith2048BitKeys_throughFlow_matchesCentralizedAucWithin001() throws Exception {
    CliTest.Run run = CliTest.run("demo", "--json");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode r = run.json();
    double federated = r.get("federated").get("auc").asDouble();
    double centralized = r.get("centralized").get("auc").asDouble();
    assertEquals(centralized, federated, 0.01, run.out());
    assertEquals(569, r.get("intersection").get("rows").asInt());
    assertEquals(2048, r.get("key_bits").asInt());
    assertTrue(r.get("job_id").asText().matches("\\d{20}"), r.toString());
    assertEquals(3, r.get("processes").asInt());
    JsonNode losses = r.get("federated").get("losses");
    assertTrue(losses.get(losses.size() - 1).asDouble() < losses.get(0).asDouble());
  }

  @Test
  void demoOnPartlyOverlappingFiles_intersectsExactlyTheSharedIds() throws Exception {
    CliTest.Run gen =
        CliTest.run(
            "datagen",
            "--out",
            dir.toString(),
            "--rows",
            "600",
            "--overlap",
            "0.7",
            "--seed",
            "3",
            "--json");
    assertEquals(0, gen.exit(), gen.err());
    int shared = gen.json().get("intersection").asInt();
    // 1024-bit keys: this run checks the intersection across processes, the 2048-bit run above
    // the real key size
    CliTest.Run run =
        heteroLr(dir.resolve("guest.csv").toString(), dir.resolve("host.csv").toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode r = run.json();
    assertEquals(shared, r.get("intersection").get("rows").asInt());
    assertEquals(shared, r.get("intersection").get("centralized_join_rows").asInt());
    assertEquals(
        r.get("centralized").get("auc").asDouble(), r.get("federated").get("auc").asDouble(), 0.01);
  }

  @Test
  void twoPartiesWithoutArbiter_twoProcesses_matchCentralized() throws Exception {
    // 1024-bit test keys: this run checks the two-party wiring across processes
    CliTest.Run run =
        heteroLr(
            CliTest.data("breast_hetero_guest.csv"),
            CliTest.data("breast_hetero_host.csv"),
            "--no-arbiter");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode r = run.json();
    assertEquals(2, r.get("parties").size());
    int epochs = r.get("federated").get("losses").size(); // L-BFGS: converged before max_iter
    assertTrue(epochs >= 5 && epochs < 30, "epochs: " + epochs);
    assertEquals(
        r.get("centralized").get("auc").asDouble(), r.get("federated").get("auc").asDouble(), 0.01);
  }

  @Test
  void aPartyThatFailsStopsTheJobWithItsReason() throws Exception {
    Path bad = dir.resolve("host.csv");
    Files.writeString(bad, "id,h0\n1,0.5\n1,0.7\n");
    CliTest.Run run = heteroLr(CliTest.data("breast_hetero_guest.csv"), bad.toString());
    assertEquals(2, run.exit(), run.out());
    String message = run.json().get("error").get("message").asText();
    assertTrue(message.contains("party 10000: ") && message.contains("duplicate id"), message);
  }

  /** {@code demo hetero-lr} with 1024-bit test keys and {@code --json}. */
  private static CliTest.Run heteroLr(String guest, String host, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("demo", "hetero-lr", "--guest-data", guest, "--host-data", host));
    args.addAll(List.of(extra));
    args.addAll(List.of("--key-bits", "1024", "--json"));
    return CliTest.run(args.toArray(String[]::new));
  }

  @Test
  void secureBoostDemo_twoProcesses_isTheCentralizedGbdt() throws Exception {
    CliTest.Run run = CliTest.run("demo", "secureboost", "--trees", "3", "--json");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode r = run.json();
    assertEquals(2, r.get("parties").size(), "guest and host: the guest holds the key");
    assertEquals(2048, r.get("key_bits").asInt());
    assertEquals(3, r.get("federated").get("losses").size());
    // lossless: the same trees as the centralized GBDT with the same parameters
    assertEquals(
        r.get("centralized").get("auc").asDouble(), r.get("federated").get("auc").asDouble(), 1e-9);
  }

  @Test
  void homoLrDemo_threeProcesses_matchesCentralizedTestAuc() throws Exception {
    CliTest.Run run = CliTest.run("demo", "homo-lr", "--json");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode r = run.json();
    assertEquals(3, r.get("parties").size());
    assertEquals(
        r.get("centralized").get("auc").asDouble(), r.get("federated").get("auc").asDouble(), 0.01);
  }

  @Test
  void homoNnRing_onVehicle_beatsCentralizedLr() throws Exception {
    CliTest.Run run =
        CliTest.run(
            "demo",
            "homo-nn",
            "--party-data",
            CliTest.data("vehicle_scale_homo_guest.csv"),
            "--party-data",
            CliTest.data("vehicle_scale_homo_host.csv"),
            "--test-data",
            CliTest.data("vehicle_scale_homo_test.csv"),
            "--topology",
            "ring",
            "--rounds",
            "60",
            "--json");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode r = run.json();
    assertEquals(2, r.get("parties").size(), "no arbiter in the ring");
    assertTrue(
        r.get("federated").get("accuracy").asDouble()
            >= r.get("centralized").get("accuracy").asDouble(),
        run.out());
  }
}
