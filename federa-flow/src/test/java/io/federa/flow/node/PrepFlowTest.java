package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.csv.CsvOptions;
import io.federa.core.table.Table;
import io.federa.federation.InProcessFederation;
import io.federa.flow.job.JobStore;
import io.federa.flow.job.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-preparation modules through flow on seeded tables with missing values and categorical
 * columns (guest and host nodes in one JVM): FeatureImputation, OneHotEncoder, a stratified
 * HeteroDataSplit whose parts hold the same people at both parties, Union of two parts, and a
 * FederatedSample drawn alike at both.
 */
class PrepFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  @Test
  void imputeEncodeSplitUnionSample_alikeAtEveryParty() throws Exception {
    int n = 500;
    Random r = new Random(3);
    StringBuilder g = new StringBuilder("id,y,a,b\n");
    StringBuilder h = new StringBuilder("id,c,d\n");
    for (int i = 0; i < n; i++) {
      int y = r.nextDouble() < 0.3 ? 1 : 0;
      String b = r.nextDouble() < 0.1 ? "" : String.valueOf(r.nextInt(100));
      String c = r.nextDouble() < 0.2 ? "NA" : String.valueOf(r.nextInt(50) / 2.0);
      g.append("u")
          .append(i)
          .append(',')
          .append(y)
          .append(',')
          .append(r.nextInt(3))
          .append(',')
          .append(b)
          .append('\n');
      h.append("u")
          .append(i)
          .append(',')
          .append(c)
          .append(',')
          .append(5 + r.nextInt(2) * 5)
          .append('\n');
    }
    Files.writeString(dir.resolve("g.csv"), g);
    Files.writeString(dir.resolve("h.csv"), h);
    var net = InProcessFederation.network();
    for (int party : List.of(9999, 10000)) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
    nodes
        .get(0)
        .tables()
        .upload(
            dir.resolve("g.csv"), "t", "g", CsvOptions.labeled().withMissingValues(true), false);
    nodes
        .get(1)
        .tables()
        .upload(
            dir.resolve("h.csv"), "t", "h", CsvOptions.unlabeled().withMissingValues(true), false);

    ObjectNode dsl = JSON.createObjectNode();
    ObjectNode cs = dsl.putObject("components");
    component(cs, "reader_0", "Reader", null);
    component(cs, "data_transform_0", "DataTransform", "reader_0.data");
    component(cs, "intersection_0", "Intersection", "data_transform_0.data");
    component(cs, "imputation_0", "FeatureImputation", "intersection_0.data");
    component(cs, "one_hot_0", "OneHotEncoder", "imputation_0.data");
    component(cs, "scale_0", "FeatureScale", "imputation_0.data");
    component(cs, "scale_1", "FeatureScale", "imputation_0.data");
    ObjectNode pearson = component(cs, "pearson_0", "HeteroPearson", "imputation_0.data");
    ((ObjectNode) pearson.get("output")).putArray("model").add("model");
    ObjectNode split = component(cs, "split_0", "HeteroDataSplit", "one_hot_0.data");
    split
        .putObject("output")
        .putArray("data")
        .add("train_data")
        .add("validate_data")
        .add("test_data");
    ObjectNode union = component(cs, "union_0", "Union", "split_0.train_data");
    ((com.fasterxml.jackson.databind.node.ArrayNode) union.at("/input/data/data"))
        .add("split_0.validate_data");
    component(cs, "sample_0", "FederatedSample", "split_0.test_data");

    ObjectNode conf =
        (ObjectNode)
            JSON.readTree(
                """
        {"dsl_version": 2, "initiator": {"role": "guest", "party_id": 9999},
         "role": {"guest": [9999], "host": [10000]},
         "component_parameters": {
           "role": {
             "guest": {"0": {"reader_0": {"table": {"name": "g", "namespace": "t"}},
                             "data_transform_0": {"with_label": true},
                             "one_hot_0": {"transform_col_names": ["a"]}}},
             "host": {"0": {"reader_0": {"table": {"name": "h", "namespace": "t"}},
                            "data_transform_0": {"with_label": false},
                            "one_hot_0": {"transform_col_names": ["d"]}}}},
           "common": {
             "imputation_0": {"missing_fill_method": "mean"},
             "scale_0": {"method": "standard_scale"},
             "pearson_0": {"encrypt_param": {"method": "ou"}},
             "split_0": {"train_size": 0.6, "validate_size": 0.2, "test_size": 0.2,
                         "stratified": true, "random_state": 7},
             "sample_0": {"mode": "random", "method": "downsample", "fractions": 0.5,
                          "random_state": 1}}}}""");
    String jobId = nodes.get(0).submit(dsl, conf);
    JobStore.Job job = FlowNodeTest.await(nodes.get(0), jobId, 300);
    assertEquals(State.SUCCESS, job.state(), job.error());

    // imputation: the guest's b and the host's c have no missing cell, filled with the mean
    Table gi = out(0, jobId, "imputation_0");
    Table hi = out(1, jobId, "imputation_0");
    assertTrue(Arrays.stream(gi.column(gi.schema().indexOf("b"))).noneMatch(Double::isNaN));
    assertTrue(Arrays.stream(hi.column(hi.schema().indexOf("c"))).noneMatch(Double::isNaN));
    double[] raw = out(0, jobId, "intersection_0").column(1);
    double mean = Arrays.stream(raw).filter(v -> !Double.isNaN(v)).average().orElseThrow();
    int missing = 0;
    for (int i = 0; i < raw.length; i++) {
      if (Double.isNaN(raw[i])) {
        missing++;
        assertEquals(mean, gi.value(i, 1), 1e-12);
      }
    }
    assertTrue(missing > 20, "the seeded table misses values");
    // FeatureScale: standard_scale gives every column mean 0 and std 1; min_max_scale [0, 1]
    for (int party = 0; party < 2; party++) {
      Table z = out(party, jobId, "scale_0");
      Table m = out(party, jobId, "scale_1");
      for (int f = 0; f < z.features(); f++) {
        double[] col = z.column(f);
        double mz = Arrays.stream(col).average().orElseThrow();
        double var = Arrays.stream(col).map(v -> (v - mz) * (v - mz)).average().orElseThrow();
        assertEquals(0, mz, 1e-9);
        assertEquals(1, var, 1e-9);
        assertEquals(0, Arrays.stream(m.column(f)).min().orElseThrow(), 1e-12);
        assertEquals(1, Arrays.stream(m.column(f)).max().orElseThrow(), 1e-12);
      }
    }
    // Pearson: both parties hold the guest × host correlations of the imputed columns
    var gc =
        (io.federa.flow.component.PartyModel.Correlation)
            nodes.get(0).models().load(jobId, "pearson_0").model();
    var hc =
        (io.federa.flow.component.PartyModel.Correlation)
            nodes.get(1).models().load(jobId, "pearson_0").model();
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        double expected = pearson(gi.column(a), hi.column(b));
        assertEquals(expected, gc.cross().get("10000")[a][b], 1e-9);
        assertEquals(expected, hc.cross().get("9999")[a][b], 1e-9);
      }
    }
    // one-hot: a → a_0, a_1, a_2 at the guest; d → d_5, d_10 at the host; one 1 per row
    Table go = out(0, jobId, "one_hot_0");
    Table ho = out(1, jobId, "one_hot_0");
    assertEquals(List.of("a_0", "a_1", "a_2", "b"), go.schema().featureNames());
    assertEquals(List.of("c", "d_5", "d_10"), ho.schema().featureNames());
    for (int i = 0; i < go.rows(); i++) {
      assertEquals(1, go.value(i, 0) + go.value(i, 1) + go.value(i, 2));
    }
    // split: the same ids in each part at both parties, 60/20/20, each part ~30 % positive
    Set<String> seen = new HashSet<>();
    for (String part : List.of("train_data", "validate_data", "test_data")) {
      Table gp = out(0, jobId, "split_0." + part);
      Table hp = out(1, jobId, "split_0." + part);
      assertArrayEquals(gp.ids(), hp.ids(), part);
      double share = Arrays.stream(gp.labels()).sum() / gp.rows();
      double all = Arrays.stream(go.labels()).sum() / go.rows();
      assertEquals(all, share, 0.02, part + " keeps the label's share");
      seen.addAll(Arrays.asList(gp.ids()));
    }
    assertEquals(n, seen.size());
    assertEquals(300, out(0, jobId, "split_0.train_data").rows());
    // union: train then validate rows
    assertEquals(400, out(0, jobId, "union_0").rows());
    assertEquals(400, out(1, jobId, "union_0").rows());
    // sample: half the test rows, the same at both parties
    Table gs = out(0, jobId, "sample_0");
    assertEquals(50, gs.rows());
    assertArrayEquals(gs.ids(), out(1, jobId, "sample_0").ids());
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private Table out(int node, String jobId, String table) {
    return nodes.get(node).tables().read(FlowNode.outputNamespace(jobId), table);
  }

  private static ObjectNode component(ObjectNode cs, String name, String module, String input) {
    return TestDsl.component(cs, name, module, input, false);
  }
}
