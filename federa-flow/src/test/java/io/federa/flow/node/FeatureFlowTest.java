package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.compute.LocalEngine;
import io.federa.core.csv.CsvOptions;
import io.federa.core.csv.CsvTableReader;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.flow.component.PartyModel;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import io.federa.ml.feature.BinningParams;
import io.federa.ml.feature.Events;
import io.federa.ml.feature.FeatureBins;
import io.federa.ml.feature.LocalBinning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credit-scoring pipeline ({@code examples/federa/credit_scoring_*}) through flow on
 * default_credit: guest, host and arbiter nodes in one JVM, real 2048-bit keys. Binning's IV of
 * every feature equals the centralized binning of the joined rows, the selection keeps exactly the
 * columns a centralized IV filter keeps, the host's statistics stay at the host, and the scorecard
 * follows its formulas (the example's AUC and KS: {@code PipelineProcessTest}).
 */
class FeatureFlowTest {
  private static final Path DATA = Path.of(System.getProperty("federa.data.dir"));
  private static final Path JOBS = DATA.getParent().resolve("federa");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  @Test
  void creditScoring_isTheCentralizedPipeline() throws Exception {
    nodes.addAll(BreastNodes.start(dir, List.of(9999, 10000, 10001)));
    BreastNodes.upload(nodes.get(0), "default_credit", true);
    BreastNodes.upload(nodes.get(1), "default_credit", false);
    // 5 epochs of LR: this test checks what comes before it and the scorecard; the AUC and KS of
    // the whole example are PipelineProcessTest's (three node processes)
    var conf = (ObjectNode) JSON.readTree(JOBS.resolve("credit_scoring_conf.json").toFile());
    ((ObjectNode) conf.at("/component_parameters/common/hetero_lr_0")).put("max_iter", 5);
    String jobId =
        nodes.get(0).submit(JSON.readTree(JOBS.resolve("credit_scoring_dsl.json").toFile()), conf);
    JobStore.Job job = FlowNodeTest.await(nodes.get(0), jobId, 900);
    assertEquals(State.SUCCESS, job.state(), job.error());

    Table guest =
        CsvTableReader.read(
            DATA.resolve("default_credit_hetero_guest.csv"),
            CsvOptions.labeled().withLabelColumn("y"));
    Table host =
        CsvTableReader.read(DATA.resolve("default_credit_hetero_host.csv"), CsvOptions.unlabeled());
    Table joined = Tables.innerJoin(guest, host, "host_");
    int g = guest.features();
    var central =
        LocalBinning.fit(
            joined, Events.of(joined.labels()), BinningParams.defaults(), LocalEngine.allCores());

    // IV of every feature: the guest's own and the host's (host_10000_j is joined column g + j)
    var binning = (PartyModel.Binning) part(0, jobId, "hetero_feature_binning_0");
    List<FeatureBins> federated = new ArrayList<>(binning.bins());
    federated.addAll(binning.hosts().get("10000"));
    assertEquals(joined.features(), federated.size());
    for (int f = 0; f < federated.size(); f++) {
      assertEquals(central.bins().get(f).iv(0), federated.get(f).iv(0), 1e-9, "feature " + f);
    }
    // the host's part holds its edges only: no IV, no counts
    var hostBinning = (PartyModel.Binning) part(1, jobId, "hetero_feature_binning_0");
    assertTrue(hostBinning.bins() == null && hostBinning.hosts() == null);
    for (int j = 0; j < host.features(); j++) {
      assertEquals(
          java.util.Arrays.toString(central.edges().splitPoints()[g + j]),
          java.util.Arrays.toString(hostBinning.splitPoints()[j]));
    }

    // the selection keeps what a centralized IV ≥ 0.02 filter keeps (no column misses values)
    List<Integer> keptCentral = new ArrayList<>();
    for (int f = 0; f < joined.features(); f++) {
      if (central.bins().get(f).iv(0) >= 0.02) {
        keptCentral.add(f);
      }
    }
    var guestKept = ((PartyModel.Selection) part(0, jobId, "hetero_feature_selection_0")).kept();
    var hostKept = ((PartyModel.Selection) part(1, jobId, "hetero_feature_selection_0")).kept();
    List<Integer> keptFederated = new ArrayList<>();
    guestKept.forEach(n -> keptFederated.add(guest.schema().indexOf(n)));
    hostKept.forEach(n -> keptFederated.add(g + host.schema().indexOf(n)));
    assertEquals(keptCentral, keptFederated);
    assertTrue(keptCentral.size() < joined.features(), "the filter drops some columns");

    // statistics: the host's at the host only, the guest's at the guest
    assertTrue(
        nodes.get(0).metrics(jobId, "statistics_0").stream().allMatch(m -> m.partyId() == 9999));
    assertTrue(
        nodes.get(1).metrics(jobId, "statistics_0").stream()
            .anyMatch(m -> m.partyId() == 10000 && m.name().equals("x0.mean")));

    // the scorecard: 500 + 20·log2(odds) per row; points per bin of each WOE column, −F·w·woe
    Table scored = nodes.get(0).tables().read(FlowNode.outputNamespace(jobId), "scorecard_0");
    double[] score = scored.column(scored.schema().indexOf("predict_score"));
    double[] credit = scored.column(scored.schema().indexOf("credit_score"));
    for (int i = 0; i < score.length; i += 997) {
      double expected = 500 + 20 * Math.log((1 - score[i]) / score[i]) / Math.log(2);
      assertEquals(Math.max(0, Math.min(1500, expected)), credit[i], 1e-9);
    }
    var card = (PartyModel.Scorecard) part(0, jobId, "scorecard_0");
    var lrPart = (PartyModel.HeteroLrGuest) part(0, jobId, "hetero_lr_0");
    assertEquals(guestKept, new ArrayList<>(card.points().keySet()));
    double f = 20 / Math.log(2);
    assertEquals(500 - f * lrPart.intercepts()[0], card.basePoints(), 1e-9);
    String first = guestKept.get(0);
    double[] woe = binning.bins().get(binning.features().indexOf(first)).perClass().get(0).woe();
    double w = lrPart.weights()[0][lrPart.features().indexOf(first)];
    for (int b = 0; b < woe.length; b++) {
      assertEquals(-f * w * woe[b], card.points().get(first)[b], 1e-9);
    }
  }

  private PartyModel part(int node, String jobId, String component) {
    return nodes.get(node).models().load(jobId, component).model();
  }

  private double metric(String jobId, String name) {
    return nodes.get(0).metrics(jobId, "evaluation_0").stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow()
        .value();
  }
}
