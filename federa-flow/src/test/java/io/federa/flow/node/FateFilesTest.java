package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.core.csv.CsvOptions;
import io.federa.federation.InProcessFederation;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FATE's own job files ({@code examples/fate/}), unchanged, run to success through flow: a party
 * with two roles (host and arbiter; guest and a second host) runs both, a 1,024-bit key is raised
 * to 2,048 bits, the predict file's empty model id takes the latest model — each with the warning
 * {@code examples/fate/README.md} lists. Nodes 9999, 10000 and 9998 in one JVM.
 */
class FateFilesTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final Path FATE = DATA.getParent().resolve("fate");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  @Test
  void everyFateFile_runsUnchanged() throws Exception {
    var net = InProcessFederation.network();
    for (int party : List.of(9999, 10000, 9998)) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
    for (String set : List.of("breast", "vehicle_scale")) {
      upload(0, set + "_hetero_guest", true);
      upload(1, set + "_hetero_host", false);
    }
    upload(0, "breast_hetero_host", false); // 9999 is also the multi-host job's second host
    upload(2, "breast_hetero_host", false); // 9998: the SecureBoost file's host
    upload(0, "breast_homo_guest", true);
    upload(1, "breast_homo_host", true);

    record Case(String dsl, String conf, String metric, double atLeast, String warning) {}
    List<Case> cases =
        List.of(
            new Case(
                "hetero_lr_normal", "hetero_lr_normal", "auc", 0.98, "is both arbiter and host"),
            new Case("hetero_lr_normal_predict", "hetero_lr_normal_predict", null, 0, null),
            new Case(
                "hetero_lr_multi_host", "hetero_lr_multi_host", "auc", 0.98, "party 9999 is both"),
            new Case(
                "hetero_lr_one_vs_all",
                "hetero_lr_one_vs_all",
                "accuracy",
                0.45, // FATE's own parameters (nesterov, 1024 → 2048 bits) stop short; #19 is on it
                "1024 bits raised to 2048"),
            new Case("homo_lr_train", "homo_lr_train", "auc", 0.95, "is both host and arbiter"),
            new Case(
                "test_secureboost_train",
                "test_secureboost_train_binary",
                "auc",
                0.98,
                "1024 bits raised"));
    for (Case k : cases) {
      JsonNode dsl = JSON.readTree(FATE.resolve(k.dsl() + "_dsl.json").toFile());
      JsonNode conf = JSON.readTree(FATE.resolve(k.conf() + "_conf.json").toFile());
      if (k.warning() != null) {
        String warnings = JobValidator.validate(dsl, conf).warnings().toString();
        assertTrue(warnings.contains(k.warning()), k.dsl() + ": " + warnings);
      }
      String jobId = nodes.get(0).submit(dsl, conf);
      JobStore.Job job = FlowNodeTest.await(nodes.get(0), jobId, 600);
      assertEquals(State.SUCCESS, job.state(), k.dsl() + ": " + job.error());
      if (k.metric() != null) {
        double v =
            nodes.get(0).metrics(jobId, "evaluation_0").stream()
                .filter(m -> m.name().equals(k.metric()) && m.partyId() == 9999)
                .findFirst()
                .orElseThrow()
                .value();
        System.out.printf("FATE's %s unchanged: %s %.4f%n", k.dsl(), k.metric(), v);
        assertTrue(v >= k.atLeast(), k.dsl() + " " + k.metric() + " " + v);
      }
    }
  }

  private void upload(int node, String table, boolean labeled) {
    nodes
        .get(node)
        .tables()
        .upload(
            DATA.resolve(table + ".csv"),
            "experiment",
            table,
            labeled ? CsvOptions.labeled().withLabelColumn("y") : CsvOptions.unlabeled(),
            false);
  }
}
