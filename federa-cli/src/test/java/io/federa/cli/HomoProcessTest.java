package io.federa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.federa.core.io.AtomicFiles;
import io.federa.ml.homo.ServerOptimizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Horizontal training with real processes: a party killed mid-round does not stop the job. */
class HomoProcessTest {
  @Test
  void aPartyKilledMidTraining_isLeftOut_andTheJobFinishes() throws Exception {
    Map<Integer, String> names = new LinkedHashMap<>();
    names.put(9000, "arbiter-org");
    names.put(10000, "org-1");
    names.put(10001, "org-2");
    names.put(10002, "org-3");
    try (LoopbackNodes fed = LoopbackNodes.create("federa-test-homo-", names)) {
      Map<String, String> data = new LinkedHashMap<>();
      String[] files = {"guest", "host_1", "host_2"};
      for (int i = 0; i < 3; i++) {
        data.put(
            Integer.toString(10000 + i), CliTest.data("default_credit_homo_" + files[i] + ".csv"));
      }
      HomoJob job =
          new HomoJob(
              HomoJob.KIND,
              "homo-kill",
              List.of(10000, 10001, 10002),
              9000,
              data,
              CliTest.data("default_credit_homo_test.csv"),
              12,
              1,
              32,
              0.01,
              0,
              0,
              ServerOptimizer.Kind.FEDAVG,
              0.1,
              new int[0],
              3,
              120);
      Path jobFile = fed.dir().resolve("job.json");
      AtomicFiles.write(jobFile, w -> w.write(Json.write(job)));
      StringWriter log = new StringWriter();
      try (PartyProcesses processes =
          new PartyProcesses(fed.dir(), new PrintWriter(log), true, false)) {
        Map<Integer, JsonNode> results =
            processes.run(
                fed.confs(),
                jobFile,
                (party, event) -> {
                  if (event.path("event").asText().equals("round")
                      && event.get("round").asInt() == 3) {
                    processes.kill(10002); // SIGKILL after the arbiter closed round 3
                  }
                });
        JsonNode arbiter = results.get(9000);
        JsonNode missed = arbiter.get("missed_rounds").get("10002");
        assertTrue(missed != null && missed.size() >= 1, arbiter.toString());
        assertTrue(missed.get(0).asInt() >= 3, "it took part until it was killed: " + missed);
        assertEquals(12, arbiter.get("losses").size(), "every round ran");
        assertFalse(results.containsKey(10002), "the killed party reported nothing");
        assertTrue(results.get(10000).get("auc").asDouble() > 0.70, results.get(10000).toString());
      }
    }
  }
}
