package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import io.federa.flow.job.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention (hardening): {@code federa job delete} removes an ended job's outputs, logs,
 * checkpoints, stored messages, transcripts and tracking at every party, and the node's retention
 * setting does the same at one party for jobs that ended long enough ago; models stay registered.
 */
class JobDeleteTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final Path JOBS = DATA.getParent().resolve("federa");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Integer> PARTIES = List.of(9999, 10000, 10001);

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    nodes.addAll(BreastNodes.start(dir, PARTIES));
  }

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  private String runJob() throws Exception {
    return awaitEnd(submit());
  }

  private String submit() throws Exception {
    ObjectNode conf = (ObjectNode) JSON.readTree(JOBS.resolve("hetero_lr_conf.json").toFile());
    ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0")).put("max_iter", 3);
    JsonNode dsl = JSON.readTree(JOBS.resolve("hetero_lr_dsl.json").toFile());
    return nodes.get(0).submit(dsl, conf);
  }

  private String awaitEnd(String jobId) throws Exception {
    assertEquals(State.SUCCESS, FlowNodeTest.await(nodes.get(0), jobId, 180).state());
    // every party's own record ends too (reports are delivered in the background)
    for (FlowNode n : nodes) {
      while (!n.jobs().job(jobId).orElseThrow().state().ended()) {
        Thread.sleep(20);
      }
    }
    return jobId;
  }

  /** Whatever {@code node} holds of {@code jobId}, by kind: empty once the job is deleted. */
  private static List<String> held(FlowNode node, String jobId) throws Exception {
    List<String> held = new ArrayList<>();
    if (node.jobs().job(jobId).isPresent()) {
      held.add("job record");
    }
    if (!node.jobs().tasks(jobId).isEmpty()) {
      held.add("tasks");
    }
    if (!node.jobs().metrics(jobId, null).isEmpty()) {
      held.add("metrics");
    }
    if (!node.tables().list(FlowNode.outputNamespace(jobId)).isEmpty()) {
      held.add("output tables");
    }
    Path data = node.dataDir();
    for (Path p :
        List.of(
            data.resolve("logs").resolve(jobId + ".log"),
            data.resolve("checkpoints").resolve(jobId),
            data.resolve("reports").resolve(jobId))) {
      if (Files.exists(p)) {
        held.add(data.relativize(p).toString());
      }
    }
    return held;
  }

  @Test
  void deleteAtTheInitiator_removesTheJobAtEveryParty_modelsStay() throws Exception {
    String jobId = submit();
    FederaException running = assertThrows(FederaException.class, () -> nodes.get(0).delete(jobId));
    assertTrue(running.getMessage().contains("stop it first"), running.getMessage());
    awaitEnd(jobId);
    String kept = runJob();
    assertTrue(held(nodes.get(0), jobId).containsAll(List.of("job record", "metrics", "tasks")));
    assertTrue(
        held(nodes.get(1), jobId).contains("output tables"), held(nodes.get(1), jobId).toString());
    assertTrue(held(nodes.get(2), jobId).contains("checkpoints/" + jobId));
    assertFalse(nodes.get(1).audit(jobId, 10000).isEmpty());

    // only the initiator deletes a job
    FederaException notHere = assertThrows(FederaException.class, () -> nodes.get(1).delete(jobId));
    assertTrue(notHere.getMessage().contains("was started by party 9999"), notHere.getMessage());

    List<Integer> models = new ArrayList<>();
    for (FlowNode n : nodes) {
      models.add(n.models().parts(jobId).size());
    }
    assertEquals(List.of(1, 1, 0), models, "the guest's and the host's parts");
    assertEquals(PARTIES, nodes.get(0).delete(jobId));
    for (FlowNode n : nodes) {
      assertEquals(List.of(), held(n, jobId), "party " + n.self());
      assertFalse(n.audit(kept, n.self()).isEmpty(), "the other job's transcript stays");
      assertFalse(held(n, kept).isEmpty(), "the other job stays at party " + n.self());
      assertEquals(
          models.get(PARTIES.indexOf(n.self())),
          n.models().parts(jobId).size(),
          "the model stays at party " + n.self());
    }
    FederaException gone = assertThrows(FederaException.class, () -> nodes.get(0).delete(jobId));
    assertEquals(ErrorCode.NOT_FOUND, gone.code());
  }

  @Test
  void retention_deletesThisPartysJobsThatEndedLongerAgo_only() throws Exception {
    String jobId = runJob();
    Duration keep = Duration.ofDays(30);
    assertEquals(0, nodes.get(1).sweep(Instant.now(), keep), "a fresh job is kept");
    assertEquals(1, nodes.get(1).sweep(Instant.now().plus(Duration.ofDays(31)), keep));
    assertEquals(List.of(), held(nodes.get(1), jobId));
    assertTrue(nodes.get(0).jobs().job(jobId).isPresent(), "each party by its own setting");
    // the initiator's delete still completes: a party that has nothing left is not an error
    assertEquals(PARTIES, nodes.get(0).delete(jobId));
    assertEquals(List.of(), held(nodes.get(0), jobId));
  }
}
