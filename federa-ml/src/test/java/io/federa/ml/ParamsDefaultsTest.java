package io.federa.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.csv.CsvOptions;
import io.federa.ml.linear.LogisticRegressionParams;
import io.federa.ml.tree.GbdtParams;
import org.junit.jupiter.api.Test;

/** Pins every default, so that a change of one is a deliberate, reviewed change. */
class ParamsDefaultsTest {
  @Test
  void csvOptions_defaultsAreFatesIdAndY() {
    CsvOptions labeled = CsvOptions.labeled();
    assertEquals("id", labeled.idColumn());
    assertEquals("y", labeled.labelColumn());
    assertTrue(labeled.withLabel());
    assertEquals(',', labeled.delimiter());
    assertFalse(CsvOptions.unlabeled().withLabel());
    assertThrows(FederaException.class, () -> new CsvOptions("k", true, "k", ','));
  }

  @Test
  void logisticRegression_defaultsAreScikitLearnsCRunToConvergence() {
    var p = LogisticRegressionParams.defaults();
    assertEquals(1.0, p.c());
    assertEquals(1000, p.maxIterations());
    assertEquals(1e-9, p.tolerance());
    assertThrows(FederaException.class, () -> new LogisticRegressionParams(0, 10, 1e-6));
  }

  @Test
  void gbdt_defaultsAreTenTreesDepthThreeThirtyTwoBins() {
    var p = GbdtParams.defaults(GbdtParams.Loss.LOGISTIC);
    assertEquals(10, p.trees());
    assertEquals(3, p.maxDepth());
    assertEquals(0.1, p.learningRate());
    assertEquals(32, p.bins());
    assertEquals(0.1, p.lambda());
    assertEquals(1e-3, p.minChildWeight());
    assertEquals(1, p.minSamplesLeaf());
  }
}
