package io.federa.flow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.core.table.Table;
import io.federa.federation.InProcessFederation;
import io.federa.flow.job.ModelPart;
import io.federa.flow.serving.Serving;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose pipeline rewrites rows at both parties — FeatureImputation, OneHotEncoder, a
 * binning's WOE (guest) and bin-index (host) transform, FeatureScale — served online: each served
 * row, sent raw (with its missing values), gets exactly the score the training job gave the same
 * row, because serving applies the transforms on the model's data path with the components' own
 * code; a FeatureScale beside that path, which the model never saw, is not applied.
 */
class ServingPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<FlowNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(FlowNode::close);
  }

  @Test
  void everyTransformOnTheDataPath_servedAsTrained() throws Exception {
    int n = 400;
    Random r = new Random(11);
    StringBuilder g = new StringBuilder("id,y,a,b,e\n");
    StringBuilder h = new StringBuilder("id,c,d\n");
    Map<String, Map<String, Double>> requestRows = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int a = r.nextInt(3);
      double b = r.nextGaussian();
      double e = r.nextGaussian() * 10 + 50;
      double c = r.nextGaussian();
      int d = 5 + r.nextInt(2) * 5;
      double z = 0.9 * b + 0.6 * (a - 1) + 0.08 * (e - 50) + 0.7 * c + 0.1 * d + r.nextGaussian();
      int y = z > 1 ? 1 : 0;
      boolean bMissing = r.nextDouble() < 0.1;
      String id = "u" + i;
      g.append(id).append(',').append(y).append(',').append(a).append(',');
      g.append(bMissing ? "" : String.valueOf(b)).append(',').append(e).append('\n');
      h.append(id).append(',').append(c).append(',').append(d).append('\n');
      Map<String, Double> row = new HashMap<>();
      row.put("a", (double) a);
      row.put("b", bMissing ? Double.NaN : b);
      row.put("e", e);
      requestRows.put(id, row);
    }
    Files.writeString(dir.resolve("g.csv"), g);
    Files.writeString(dir.resolve("h.csv"), h);
    var net = InProcessFederation.network();
    for (int party : List.of(9999, 10000, 10001)) {
      nodes.add(new FlowNode(net.party(party), dir.resolve("p" + party), null, 2));
    }
    nodes
        .get(0)
        .tables()
        .upload(
            dir.resolve("g.csv"), "t", "g", CsvOptions.labeled().withMissingValues(true), false);
    nodes.get(1).tables().upload(dir.resolve("h.csv"), "t", "h", CsvOptions.unlabeled(), false);

    ObjectNode dsl = JSON.createObjectNode();
    ObjectNode cs = dsl.putObject("components");
    component(cs, "reader_0", "Reader", null);
    component(cs, "data_transform_0", "DataTransform", "reader_0.data");
    component(cs, "intersection_0", "Intersection", "data_transform_0.data");
    component(cs, "statistics_0", "DataStatistics", "imputation_0.data"); // off the path
    component(cs, "imputation_0", "FeatureImputation", "intersection_0.data");
    component(cs, "one_hot_0", "OneHotEncoder", "imputation_0.data");
    component(cs, "binning_0", "HeteroFeatureBinning", "one_hot_0.data");
    component(cs, "scale_0", "FeatureScale", "binning_0.data");
    component(cs, "scale_beside", "FeatureScale", "one_hot_0.data"); // off the model's path
    ObjectNode lr = component(cs, "hetero_lr_0", "HeteroLR", null);
    lr.putObject("input").putObject("data").putArray("train_data").add("scale_0.data");
    ObjectNode conf =
        (ObjectNode)
            JSON.readTree(
                """
        {"dsl_version": 2, "initiator": {"role": "guest", "party_id": 9999},
         "role": {"guest": [9999], "host": [10000], "arbiter": [10001]},
         "job_parameters": {"common": {"timeout": 300}},
         "component_parameters": {
           "role": {
             "guest": {"0": {"reader_0": {"table": {"name": "g", "namespace": "t"}},
                             "data_transform_0": {"with_label": true},
                             "one_hot_0": {"transform_col_names": ["a"]},
                             "binning_0": {"transform_param": {"transform_type": "woe",
                                                               "transform_names": ["e"]}}}},
             "host": {"0": {"reader_0": {"table": {"name": "h", "namespace": "t"}},
                            "data_transform_0": {"with_label": false},
                            "one_hot_0": {"transform_col_names": ["d"]},
                            "binning_0": {"transform_param": {"transform_type": "bin_num",
                                                              "transform_names": ["c"]}}}}},
           "common": {
             "imputation_0": {"missing_fill_method": "mean"},
             "binning_0": {"method": "quantile", "bin_num": 8},
             "scale_0": {"method": "standard_scale"},
             "scale_beside": {"method": "min_max_scale"},
             "hetero_lr_0": {"max_iter": 8, "encrypt_param": {"key_length": 2048}}}}}""");
    String jobId = FlowNodeTest.succeed(nodes.get(0), dsl, conf, 600);
    Table trained = nodes.get(0).tables().read(FlowNode.outputNamespace(jobId), "hetero_lr_0");
    ModelPart part =
        nodes.get(0).models().parts(jobId).stream()
            .filter(p -> p.component().equals("hetero_lr_0"))
            .findFirst()
            .orElseThrow();

    Serving serving = nodes.get(0).serving();
    serving.deploy(
        new Serving.Deploy(
            "score", part.modelId(), part.modelVersion(), null, 5_000, null, Map.of()));
    List<String> ids = new ArrayList<>();
    List<Map<String, Double>> features = new ArrayList<>();
    for (int i = 0; i < trained.rows(); i++) {
      ids.add(trained.id(i));
      features.add(requestRows.get(trained.id(i)));
    }
    Serving.Reply reply = serving.predict("score", ids, features);
    int score = trained.schema().indexOf("predict_score");
    int missing = 0;
    for (int i = 0; i < ids.size(); i++) {
      Serving.Prediction p = reply.predictions().get(i);
      assertEquals(ids.get(i), p.id());
      assertFalse(p.degraded());
      assertNull(p.creditScore()); // no Scorecard in this version
      assertEquals(trained.value(i, score), p.score(), 1e-9, p.id());
      missing += Double.isNaN(features.get(i).get("b")) ? 1 : 0;
    }
    assertTrue(missing > 20, "rows with a missing value were served: " + missing);
    // the scores are a model's, not a constant
    double spread =
        reply.predictions().stream().mapToDouble(Serving.Prediction::score).max().orElseThrow()
            - reply.predictions().stream()
                .mapToDouble(Serving.Prediction::score)
                .min()
                .orElseThrow();
    assertTrue(spread > 0.5, "spread " + spread);

    // a row without a feature the pipeline reads is refused, naming it
    var lacking = new HashMap<>(features.get(0));
    lacking.remove("a");
    var e =
        assertThrows(
            FederaException.class,
            () -> serving.predict("score", List.of(ids.get(0)), List.of(lacking)));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }

  private static ObjectNode component(ObjectNode cs, String name, String module, String input) {
    boolean model = !module.equals("Reader") && !module.equals("Intersection");
    return TestDsl.component(cs, name, module, input, model);
  }
}
