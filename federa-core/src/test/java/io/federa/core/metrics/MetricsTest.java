package io.federa.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.federa.core.FederaException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every metric against scikit-learn. The expected values are in {@code
 * metrics/sklearn_reference.json}, made by {@code tools/reference/metrics_reference.py} (its header
 * has the command).
 */
class MetricsTest {
  private static final double TOL = 1e-12;

  static JsonNode reference() throws IOException {
    try (InputStream in =
        MetricsTest.class.getResourceAsStream("/metrics/sklearn_reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  static Stream<JsonNode> cases(String kind) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode c : reference().get("cases")) {
      if (c.get("kind").asText().equals(kind)) {
        out.add(c);
      }
    }
    return out.stream();
  }

  static Stream<JsonNode> binaryCases() throws IOException {
    return cases("binary");
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryCases")
  void binaryMetrics_matchScikitLearn(JsonNode c) {
    double[] y = doubles(c.get("labels"));
    double[] s = doubles(c.get("scores"));
    assertEquals(c.get("auc").asDouble(), Metrics.auc(y, s), TOL, "auc");
    assertEquals(c.get("ks").asDouble(), Metrics.ks(y, s), TOL, "ks");
    assertEquals(c.get("log_loss").asDouble(), Metrics.logLoss(y, s), 1e-10, "log loss");
    ConfusionMatrix cm = Metrics.binaryConfusion(y, s, 0.5);
    assertEquals(c.get("accuracy").asDouble(), cm.accuracy(), TOL, "accuracy");
    assertEquals(c.get("precision").asDouble(), cm.precision(1), TOL, "precision");
    assertEquals(c.get("recall").asDouble(), cm.recall(1), TOL, "recall");
    assertEquals(c.get("f1").asDouble(), cm.f1(1), TOL, "f1");
    for (int t = 0; t < 2; t++) {
      for (int p = 0; p < 2; p++) {
        assertEquals(c.get("confusion").get(t).get(p).asLong(), cm.count(t, p));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryCases")
  void roc_matchesScikitLearnPointForPoint(JsonNode c) {
    RocCurve roc = Metrics.roc(doubles(c.get("labels")), doubles(c.get("scores")));
    assertArrayEquals(doubles(c.get("roc_fpr")), roc.fpr(), TOL);
    assertArrayEquals(doubles(c.get("roc_tpr")), roc.tpr(), TOL);
    double[] thresholds = roc.thresholds();
    assertEquals(Double.POSITIVE_INFINITY, thresholds[0]);
    assertArrayEquals(
        doubles(c.get("roc_thresholds")),
        java.util.Arrays.copyOfRange(thresholds, 1, thresholds.length),
        TOL);
  }

  @Test
  void multiclassMetrics_matchScikitLearn() throws IOException {
    JsonNode c = cases("multiclass").findFirst().orElseThrow();
    double[] y = doubles(c.get("labels"));
    int k = c.get("classes").asInt();
    double[][] proba = new double[y.length][];
    int[] predicted = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      proba[i] = doubles(c.get("probabilities").get(i));
      predicted[i] = c.get("predicted").get(i).asInt();
    }
    ConfusionMatrix cm = Metrics.confusion(y, predicted, k);
    assertEquals(c.get("accuracy").asDouble(), Metrics.accuracy(y, predicted), TOL);
    assertEquals(c.get("accuracy").asDouble(), cm.accuracy(), TOL);
    assertEquals(c.get("macro_precision").asDouble(), cm.macroPrecision(), TOL);
    assertEquals(c.get("macro_recall").asDouble(), cm.macroRecall(), TOL);
    assertEquals(c.get("macro_f1").asDouble(), cm.macroF1(), TOL);
    assertEquals(c.get("log_loss").asDouble(), Metrics.logLoss(y, proba), 1e-10);
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        assertEquals(c.get("confusion").get(t).get(p).asLong(), cm.count(t, p));
      }
    }
  }

  @Test
  void regressionMetrics_matchScikitLearn() throws IOException {
    JsonNode c = cases("regression").findFirst().orElseThrow();
    double[] y = doubles(c.get("labels"));
    double[] p = doubles(c.get("predictions"));
    assertEquals(c.get("rmse").asDouble(), Metrics.rmse(y, p), 1e-10);
    assertEquals(c.get("mae").asDouble(), Metrics.mae(y, p), 1e-10);
    assertEquals(c.get("r2").asDouble(), Metrics.r2(y, p), 1e-10);
  }

  @Test
  void auc_withAllScoresTied_isOneHalf() {
    assertEquals(0.5, Metrics.auc(new double[] {0, 1, 0, 1}, new double[] {3, 3, 3, 3}), TOL);
  }

  @Test
  void auc_perfectAndReversedRanking_isOneAndZero() {
    double[] y = {0, 0, 1, 1};
    assertEquals(1.0, Metrics.auc(y, new double[] {0.1, 0.2, 0.8, 0.9}), TOL);
    assertEquals(0.0, Metrics.auc(y, new double[] {0.9, 0.8, 0.2, 0.1}), TOL);
  }

  @Test
  void auc_withOneClassOnly_explainsWhy() {
    var e =
        assertThrows(
            FederaException.class, () -> Metrics.auc(new double[] {1, 1}, new double[] {0.2, 0.3}));
    assertTrue(e.getMessage().contains("AUC needs both classes"));
  }

  @Test
  void binaryMetric_withNonBinaryLabel_namesTheRow() {
    var e =
        assertThrows(
            FederaException.class, () -> Metrics.auc(new double[] {0, 2}, new double[] {0.2, 0.3}));
    assertTrue(e.getMessage().startsWith("row 2 has label 2.0"));
  }

  @Test
  void metrics_withMismatchedLengths_sayWhat() {
    var e =
        assertThrows(
            FederaException.class, () -> Metrics.rmse(new double[] {1, 2}, new double[] {1}));
    assertTrue(e.getMessage().contains("2 labels but 1 predictions"));
  }
}
