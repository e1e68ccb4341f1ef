package io.federa.ml.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.ml.ShippedData;
import io.federa.ml.TrainingListener;
import io.federa.ml.eval.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The histogram GBDT against scikit-learn's {@code GradientBoostingClassifier(n_estimators=10,
 * max_depth=3)} numbers in {@code examples/data/README.md}, within 0.005 on the training rows.
 */
class GradientBoostingTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  @ParameterizedTest(name = "{0}: train AUC {1}")
  @CsvSource({"breast, 0.9980", "default_credit, 0.7708"})
  void fit_tenTreesDepthThree_matchesScikitLearnTrainAuc(String name, double expected) {
    Table data = ShippedData.heteroJoined(name);
    GbdtModel model =
        GradientBoosting.fit(
            data, GbdtParams.defaults(GbdtParams.Loss.LOGISTIC), ENGINE, TrainingListener.NONE);
    assertEquals(10, model.trees().size());
    for (Tree t : model.trees()) {
      assertTrue(t.leaves() <= 8, "depth 3 gives at most 8 leaves");
    }
    double auc = Evaluation.binary(data.labels(), model.predict(data, ENGINE)).get("auc");
    assertEquals(expected, auc, 0.005);
  }

  /**
   * Softmax on vehicle (4 classes): one tree per class per round, probabilities that sum to 1, and
   * a training accuracy above the multinomial LR's 0.7754 (examples/data/README.md); a fractional
   * label is refused by row.
   */
  @Test
  void fit_softmaxOnVehicle_growsOneTreePerClassAndBeatsMultinomialLr() {
    Table data = ShippedData.heteroJoined("vehicle_scale");
    GbdtModel model =
        GradientBoosting.fit(
            data, GbdtParams.defaults(GbdtParams.Loss.SOFTMAX), ENGINE, TrainingListener.NONE);
    assertEquals(4, model.dimensions());
    assertEquals(40, model.trees().size());
    assertArrayEquals(new double[] {0, 1, 2, 3}, model.classes());
    double[][] p = model.probabilities(data, ENGINE);
    int correct = 0;
    for (int i = 0; i < data.rows(); i++) {
      double sum = 0;
      int best = 0;
      for (int k = 0; k < 4; k++) {
        sum += p[k][i];
        best = p[k][i] > p[best][i] ? k : best;
      }
      assertEquals(1, sum, 1e-12);
      correct += model.classes()[best] == data.label(i) ? 1 : 0;
    }
    double accuracy = correct / (double) data.rows();
    System.out.printf("vehicle softmax GBDT train accuracy %.4f%n", accuracy);
    assertTrue(accuracy > 0.7754, "accuracy " + accuracy);
    double[] y = data.labels().clone();
    y[3] = 1.5;
    Table bad =
        new Table(
            data.schema(),
            data.ids(),
            y,
            java.util.stream.IntStream.range(0, data.features())
                .mapToObj(data::column)
                .toArray(double[][]::new));
    var e =
        assertThrows(
            FederaException.class,
            () ->
                GradientBoosting.fit(
                    bad,
                    GbdtParams.defaults(GbdtParams.Loss.SOFTMAX),
                    ENGINE,
                    TrainingListener.NONE));
    assertTrue(e.getMessage().contains("row 4 has label 1.5"), e.getMessage());
  }

  /**
   * Multi-output trees (FATE's {@code multi_mode: multi_output}): one tree per round whose leaves
   * hold every class's value; the root's split is the (feature, bin) with the largest gain summed
   * over the classes, found here by brute force over every cut of the binned rows; each leaf's
   * values are the classes' Newton steps on its rows; the model is about as accurate as one tree
   * per class.
   */
  @Test
  void fit_multiOutput_growsVectorLeavesOnTheSummedGain() {
    Table data = ShippedData.heteroJoined("vehicle_scale");
    GbdtParams params =
        GbdtParams.defaults(GbdtParams.Loss.SOFTMAX)
            .withTrees(1)
            .withDepth(1)
            .withMultiOutput(true);
    GbdtModel stump = GradientBoosting.fit(data, params, ENGINE, TrainingListener.NONE);
    assertEquals(1, stump.trees().size());
    Tree tree = stump.trees().get(0);
    assertEquals(4, tree.outputs());
    assertEquals(3, tree.nodes());
    Targets targets = Targets.of(GbdtParams.Loss.SOFTMAX, data.labels());
    int n = data.rows();
    double[][] raw = new double[4][n];
    for (int k = 0; k < 4; k++) {
      java.util.Arrays.fill(raw[k], targets.initialScores()[k]);
    }
    double[][] g = new double[4][n];
    double[][] h = new double[4][n];
    targets.gradients(raw, g, h);
    QuantileBinning binning = QuantileBinning.fit(data, params.bins(), ENGINE);
    byte[][] bins = binning.transform(data, ENGINE);
    double bestGain = 0;
    int bestFeature = -1;
    int bestBin = -1;
    for (int f = 0; f < data.features(); f++) {
      for (int b = 0; b < binning.bins(f) - 1; b++) {
        double[] gl = new double[4];
        double[] hl = new double[4];
        double[] gt = new double[4];
        double[] ht = new double[4];
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < 4; k++) {
            gt[k] += g[k][i];
            ht[k] += h[k][i];
            if ((bins[f][i] & 0xff) <= b) {
              gl[k] += g[k][i];
              hl[k] += h[k][i];
            }
          }
        }
        double gain = SplitMath.gain(gl, hl, gt, ht, params.lambda());
        if (gain > bestGain + 1e-9) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
        }
      }
    }
    assertEquals(bestFeature, tree.feature()[0]);
    assertEquals(binning.splitPoint(bestFeature, bestBin), tree.threshold()[0]);
    for (int leaf : new int[] {tree.left()[0], tree.right()[0]}) {
      for (int k = 0; k < 4; k++) {
        double gs = 0;
        double hs = 0;
        for (int i = 0; i < n; i++) {
          boolean left = data.column(bestFeature)[i] <= tree.threshold()[0];
          if (left == (leaf == tree.left()[0])) {
            gs += g[k][i];
            hs += h[k][i];
          }
        }
        assertEquals(
            params.learningRate() * SplitMath.leafWeight(gs, hs, params.lambda()),
            tree.value()[leaf * 4 + k],
            1e-12);
      }
    }
    GbdtModel multi =
        GradientBoosting.fit(
            data,
            GbdtParams.defaults(GbdtParams.Loss.SOFTMAX).withMultiOutput(true),
            ENGINE,
            TrainingListener.NONE);
    GbdtModel single =
        GradientBoosting.fit(
            data, GbdtParams.defaults(GbdtParams.Loss.SOFTMAX), ENGINE, TrainingListener.NONE);
    assertEquals(10, multi.trees().size());
    double a = accuracy(multi, data);
    double b = accuracy(single, data);
    System.out.printf("vehicle train accuracy: multi-output %.4f, one tree per class %.4f%n", a, b);
    assertTrue(a > b - 0.05, a + " vs " + b);
  }

  private static double accuracy(GbdtModel model, Table data) {
    double[][] p = model.probabilities(data, ENGINE);
    int correct = 0;
    for (int i = 0; i < data.rows(); i++) {
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        best = p[k][i] > p[best][i] ? k : best;
      }
      correct += model.classes()[best] == data.label(i) ? 1 : 0;
    }
    return correct / (double) data.rows();
  }

  /**
   * Missing values in their own bin: a feature missing exactly where the label is 1 is split on,
   * missing rows sent the way that gains, and a new row missing it is scored that way.
   */
  @Test
  void fit_missingValues_learnTheirOwnDirection() {
    Random rnd = new Random(3);
    int n = 400;
    double[] y = new double[n];
    double[] noise = new double[n];
    double[] signal = new double[n];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "r" + i;
      y[i] = rnd.nextBoolean() ? 1 : 0;
      noise[i] = rnd.nextGaussian();
      signal[i] = y[i] == 1 ? Double.NaN : rnd.nextGaussian();
    }
    Table t =
        new Table(
            new Schema("id", "y", List.of("noise", "signal")),
            ids,
            y,
            new double[][] {noise, signal});
    GbdtModel model =
        GradientBoosting.fit(
            t,
            GbdtParams.defaults(GbdtParams.Loss.LOGISTIC).withTrees(1).withDepth(1),
            ENGINE,
            TrainingListener.NONE);
    Tree tree = model.trees().get(0);
    assertEquals(1, tree.feature()[0], "the root splits on the feature with missing values");
    double[][] columns = {{0.0, 0.0}, {Double.NaN, 0.3}};
    double missing = tree.predict(columns, 0);
    double present = tree.predict(columns, 1);
    assertTrue(missing > 0 && present < 0, missing + " / " + present);
  }

  /** GOSS keeps the top |g| rows, draws the others' share amplified, and leaves the rest out. */
  @Test
  void goss_keepsTheLargestGradients_andAmplifiesTheDrawnRest() {
    int n = 1000;
    double[] g = new double[n];
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = (i % 2 == 0 ? 1 : -1) * i / (double) n;
      h[i] = 0.25;
    }
    double[] g0 = g.clone();
    RowSampling.goss(0.2, 0.1, 3).apply(0, g, h);
    int kept = 0;
    int amplified = 0;
    for (int i = 0; i < n; i++) {
      if (h[i] == 0.25) {
        kept++;
        assertEquals(g0[i], g[i]);
        assertTrue(Math.abs(g0[i]) >= 0.8 - 1e-12, "a top row has a large |g|: " + g0[i]);
      } else if (h[i] > 0) {
        amplified++;
        assertEquals(0.25 * 8, h[i], 1e-12); // (1 − 0.2) / 0.1
      } else {
        assertEquals(0, g[i], 0.0);
      }
    }
    assertEquals(200, kept);
    assertEquals(100, amplified);
    double[] again = g0.clone();
    double[] h2 = new double[n];
    java.util.Arrays.fill(h2, 0.25);
    RowSampling.goss(0.2, 0.1, 3).apply(0, again, h2);
    assertArrayEquals(g, again, "the same seed and tree draw the same rows");
    assertThrows(FederaException.class, () -> RowSampling.goss(0.8, 0.5, 1));
    assertThrows(FederaException.class, () -> RowSampling.subsample(0, 1));
  }

  @Test
  void fit_onDefaultCredit_heldOutAucIsCloseToScikitLearn() {
    List<Table> split = Tables.splitByIdModulo(ShippedData.heteroJoined("default_credit"), 5);
    GbdtModel model =
        GradientBoosting.fit(
            split.get(0),
            GbdtParams.defaults(GbdtParams.Loss.LOGISTIC),
            ENGINE,
            TrainingListener.NONE);
    Table held = split.get(1);
    double auc = Evaluation.binary(held.labels(), model.predict(held, ENGINE)).get("auc");
    assertEquals(0.7729, auc, 0.01);
  }

  @Test
  void fit_squaredLoss_lowersTrainingErrorTreeByTree() {
    Table data = ShippedData.heteroJoined("student");
    double[] losses = new double[30];
    GradientBoosting.fit(
        data,
        GbdtParams.defaults(GbdtParams.Loss.SQUARED).withTrees(30),
        ENGINE,
        (t, planned, loss) -> losses[t - 1] = loss);
    for (int t = 1; t < losses.length; t++) {
      assertTrue(losses[t] <= losses[t - 1] + 1e-12, "tree " + (t + 1));
    }
    double mean = 0;
    for (double y : data.labels()) {
      mean += y;
    }
    mean /= data.rows();
    double variance = 0;
    for (double y : data.labels()) {
      variance += (y - mean) * (y - mean) / 2;
    }
    variance /= data.rows();
    assertTrue(losses[29] < variance * 0.8, "30 trees explain some of the variance");
  }

  @Test
  void fit_oneFeatureStep_findsTheExactThreshold() {
    int n = 400;
    double[] x = new double[n];
    double[] y = new double[n];
    String[] ids = new String[n];
    Random rnd = new Random(1);
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextDouble() * 10;
      y[i] = x[i] <= 6.5 ? 0 : 1;
      ids[i] = "r" + i;
    }
    Table t = new Table(new Schema("id", "y", List.of("x")), ids, y, new double[][] {x});
    GbdtModel model =
        GradientBoosting.fit(
            t,
            GbdtParams.defaults(GbdtParams.Loss.LOGISTIC).withBins(64),
            ENGINE,
            TrainingListener.NONE);
    assertEquals(1.0, Evaluation.binary(y, model.predict(t, ENGINE)).get("auc"), 0.02);
    Tree first = model.trees().get(0);
    assertEquals(0, first.feature()[0]);
    assertEquals(6.5, first.threshold()[0], 0.5);
  }

  @Test
  void fit_logisticWithNonBinaryLabel_namesTheRow() {
    Table t =
        new Table(
            new Schema("id", "y", List.of("x")),
            new String[] {"a", "b"},
            new double[] {0, 3},
            new double[][] {{1, 2}});
    var e =
        assertThrows(
            FederaException.class,
            () ->
                GradientBoosting.fit(
                    t,
                    GbdtParams.defaults(GbdtParams.Loss.LOGISTIC),
                    ENGINE,
                    TrainingListener.NONE));
    assertTrue(e.getMessage().startsWith("row 2 has label 3.0"));
  }

  @Test
  void cutPoints_fewDistinctValues_getOneBinEach() {
    assertArrayEquals(
        new double[] {1, 2}, QuantileBinning.cutPoints(new double[] {1, 1, 2, 3, 3, 3}, 32));
  }

  @Test
  void cutPoints_manyValues_giveAtMostMaxBinsOfSimilarSize() {
    double[] sorted = new double[10_000];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i;
    }
    double[] cuts = QuantileBinning.cutPoints(sorted, 32);
    assertEquals(31, cuts.length);
    assertEquals(sorted.length / 32.0, cuts[0] + 1, 1);
  }

  @Test
  void splitMath_gainIsZeroForAUselessSplitAndPositiveForAGoodOne() {
    assertEquals(0, SplitMath.gain(1, 2, 1, 2, 0), 1e-12);
    assertTrue(SplitMath.gain(-5, 2, 5, 2, 0.1) > 0);
    assertEquals(-2.0, SplitMath.leafWeight(4, 1.9, 0.1), 1e-12);
  }

  @Test
  void params_outOfRange_areRefusedWithTheValue() {
    var e =
        assertThrows(
            FederaException.class,
            () -> GbdtParams.defaults(GbdtParams.Loss.LOGISTIC).withBins(1000));
    assertTrue(e.getMessage().contains("1000"));
  }

  /**
   * FATE's n_iter_no_change: boosting stops after the first round whose training loss moved by less
   * than tol, says so, and keeps every round grown; tol 0 grows them all.
   */
  @Test
  void convergence_stopsAtTheFirstRoundThatChangedTheLossByLessThanTol() {
    Table data = ShippedData.heteroJoined("breast");
    GbdtParams params = GbdtParams.defaults(GbdtParams.Loss.LOGISTIC).withTrees(300).withTol(1e-3);
    List<Double> losses = new ArrayList<>();
    List<String> stops = new ArrayList<>();
    GbdtModel model =
        GradientBoosting.fit(
            data,
            params,
            ENGINE,
            new TrainingListener() {
              @Override
              public void onIteration(int iteration, int planned, double loss) {
                losses.add(loss);
              }

              @Override
              public void onStop(boolean converged, String reason) {
                stops.add(converged + " " + reason);
              }
            });
    int rounds = losses.size();
    assertTrue(rounds > 2 && rounds < 300, "stopped early: " + rounds);
    assertEquals(rounds, model.trees().size(), "every grown round stays");
    assertTrue(Math.abs(losses.get(rounds - 1) - losses.get(rounds - 2)) < 1e-3);
    for (int r = 1; r < rounds - 1; r++) {
      assertTrue(Math.abs(losses.get(r) - losses.get(r - 1)) >= 1e-3, "round " + (r + 1));
    }
    assertEquals(1, stops.size());
    assertTrue(stops.get(0).startsWith("true converged after " + rounds), stops.get(0));

    stops.clear();
    GbdtModel all =
        GradientBoosting.fit(
            data,
            params.withTrees(rounds + 5).withTol(0),
            ENGINE,
            new TrainingListener() {
              @Override
              public void onIteration(int iteration, int planned, double loss) {}

              @Override
              public void onStop(boolean converged, String reason) {
                stops.add(converged + " " + reason);
              }
            });
    assertEquals(rounds + 5, all.trees().size());
    assertTrue(stops.get(0).startsWith("false grew all"), stops.get(0));
  }
}
