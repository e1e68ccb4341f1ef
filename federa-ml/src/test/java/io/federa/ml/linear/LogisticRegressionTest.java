package io.federa.ml.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.compute.LocalEngine;
import io.federa.core.table.Schema;
import io.federa.core.table.Table;
import io.federa.core.table.Tables;
import io.federa.ml.ShippedData;
import io.federa.ml.TrainingListener;
import io.federa.ml.eval.Evaluation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The centralized logistic regression against scikit-learn's numbers in {@code
 * examples/data/README.md} (LogisticRegression, L2, C = 1), within 0.005.
 */
class LogisticRegressionTest {
  private static final LocalEngine ENGINE = LocalEngine.allCores();

  @ParameterizedTest(name = "{0}: train AUC {1}, held-out AUC {2}")
  @CsvSource({"breast, 0.9974, 0.9963", "default_credit, 0.7242, 0.7288"})
  void fit_onShippedBinaryData_matchesScikitLearn(String name, double trainAuc, double heldOutAuc) {
    Table data = ShippedData.heteroJoined(name);
    LinearModel all =
        LogisticRegression.fit(
            data, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
    double auc =
        Evaluation.binary(data.labels(), LogisticRegression.predictProbability(all, data, ENGINE))
            .get("auc");
    assertEquals(trainAuc, auc, 0.005);

    List<Table> split = Tables.splitByIdModulo(data, 5);
    LinearModel model =
        LogisticRegression.fit(
            split.get(0), LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
    Table held = split.get(1);
    double heldAuc =
        Evaluation.binary(held.labels(), LogisticRegression.predictProbability(model, held, ENGINE))
            .get("auc");
    assertEquals(heldOutAuc, heldAuc, 0.005);
  }

  @Test
  void fit_onVehicle_isMultinomialAndMatchesScikitLearnAccuracy() {
    Table data = ShippedData.heteroJoined("vehicle_scale");
    LinearModel model =
        LogisticRegression.fit(
            data, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
    assertEquals(4, model.outputs());
    double accuracy =
        Evaluation.multiclass(
                data.labels(), LogisticRegression.predictClassProbabilities(model, data, ENGINE))
            .get("accuracy");
    assertEquals(0.7754, accuracy, 0.005);
  }

  @Test
  void fit_reachesAStationaryPointOfTheRegularisedObjective() {
    Table data = ShippedData.heteroJoined("breast");
    LinearModel model =
        LogisticRegression.fitBinary(
            data, LogisticRegressionParams.defaults(), ENGINE, TrainingListener.NONE);
    double[][] columns = new double[data.features()][];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = data.column(j);
    }
    double[] gradient = new double[data.features() + 1];
    LogisticLoss.lossAndGradient(
        columns, data.labels(), model.weights()[0], model.intercepts()[0], ENGINE, gradient);
    // C·∇loss + w = 0 at the optimum (C = 1); the intercept is not penalised
    for (int j = 0; j < data.features(); j++) {
      assertEquals(0, gradient[j] + model.weights()[0][j], 1e-4, "feature " + j);
    }
    assertEquals(0, gradient[data.features()], 1e-4, "intercept");
  }

  @Test
  void lossGradients_matchFiniteDifferences() {
    Random rnd = new Random(3);
    int n = 200;
    int d = 4;
    double[][] x = new double[d][n];
    double[] y = new double[n];
    double[] multi = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[j][i] = rnd.nextGaussian();
      }
      y[i] = rnd.nextInt(2);
      multi[i] = rnd.nextInt(3);
    }
    double[] w = {0.3, -0.2, 0.5, 0.1};
    double b = -0.4;
    double[] g = new double[d + 1];
    LogisticLoss.lossAndGradient(x, y, w, b, ENGINE, g);
    double h = 1e-6;
    for (int j = 0; j < d; j++) {
      double[] wp = w.clone();
      double[] wm = w.clone();
      wp[j] += h;
      wm[j] -= h;
      double numeric =
          (LogisticLoss.lossAndGradient(x, y, wp, b, ENGINE, new double[d + 1])
                  - LogisticLoss.lossAndGradient(x, y, wm, b, ENGINE, new double[d + 1]))
              / (2 * h);
      assertEquals(numeric, g[j], 1e-5);
    }

    double[][] ws = {{0.1, 0.2, -0.3, 0}, {0, -0.1, 0.2, 0.4}, {0.3, 0, 0, -0.2}};
    double[] bs = {0.1, -0.2, 0.05};
    double[] gs = new double[3 * (d + 1)];
    SoftmaxLoss.lossAndGradient(x, multi, ws, bs, ENGINE, gs);
    for (int c = 0; c < 3; c++) {
      for (int j = 0; j < d; j++) {
        double[][] plus = {ws[0].clone(), ws[1].clone(), ws[2].clone()};
        double[][] minus = {ws[0].clone(), ws[1].clone(), ws[2].clone()};
        plus[c][j] += h;
        minus[c][j] -= h;
        double numeric =
            (SoftmaxLoss.lossAndGradient(x, multi, plus, bs, ENGINE, new double[gs.length])
                    - SoftmaxLoss.lossAndGradient(
                        x, multi, minus, bs, ENGINE, new double[gs.length]))
                / (2 * h);
        assertEquals(numeric, gs[c * (d + 1) + j], 1e-5, "class " + c + " feature " + j);
      }
    }
  }

  @Test
  void fit_reportsEveryIterationWithFallingLoss() {
    Table data = ShippedData.heteroJoined("breast");
    double[] first = {Double.NaN};
    double[] last = {Double.NaN};
    int[] count = {0};
    LogisticRegression.fit(
        data,
        LogisticRegressionParams.defaults(),
        ENGINE,
        (iteration, planned, loss) -> {
          count[0]++;
          assertEquals(count[0], iteration);
          if (iteration == 1) {
            first[0] = loss;
          }
          last[0] = loss;
        });
    assertTrue(count[0] > 5);
    assertTrue(last[0] < first[0]);
  }

  @Test
  void linearRegression_recoversExactCoefficientsWithoutNoise() {
    Random rnd = new Random(9);
    int n = 500;
    double[][] x = new double[3][n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[j][i] = rnd.nextGaussian();
      }
      y[i] = 2 * x[0][i] - 3 * x[1][i] + 0.5 * x[2][i] + 7;
    }
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Integer.toString(i);
    }
    Table t = new Table(new Schema("id", "y", List.of("a", "b", "c")), ids, y, x);
    LinearModel m = LinearRegression.fit(t, ENGINE);
    assertEquals(2, m.weights()[0][0], 1e-9);
    assertEquals(-3, m.weights()[0][1], 1e-9);
    assertEquals(0.5, m.weights()[0][2], 1e-9);
    assertEquals(7, m.intercepts()[0], 1e-9);
  }

  @Test
  void linearRegression_onStudent_matchesScikitLearnRmse() {
    Table data = ShippedData.heteroJoined("student");
    LinearModel m = LinearRegression.fit(data, ENGINE);
    double rmse =
        Evaluation.regression(data.labels(), LinearRegression.predict(m, data, ENGINE)).get("rmse");
    assertEquals(4.1359, rmse, 4.1359 * 0.005);
  }
}
