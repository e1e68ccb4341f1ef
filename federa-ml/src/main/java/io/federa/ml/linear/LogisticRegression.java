package io.federa.ml.linear;

import io.federa.core.compute.ComputingEngine;
import io.federa.core.linalg.ColumnOps;
import io.federa.core.table.Table;
import io.federa.ml.Features;
import io.federa.ml.TrainingListener;
import io.federa.ml.optim.Lbfgs;

/**
 * Centralized L2-regularised logistic regression, binary or multinomial, solved with L-BFGS to the
 * same optimum as scikit-learn's {@code LogisticRegression(C=…)}. It is the reference every
 * federated logistic regression is checked against.
 */
public final class LogisticRegression {
  private static final int LBFGS_MEMORY = 10;

  private LogisticRegression() {}

  /** Binary (labels 0/1) when the table has two classes, multinomial otherwise. */
  public static LinearModel fit(
      Table table,
      LogisticRegressionParams params,
      ComputingEngine engine,
      TrainingListener listener) {
    int classes = Features.classCount(table.labels());
    return classes == 2
        ? fitBinary(table, params, engine, listener)
        : fitMultinomial(table, classes, params, engine, listener);
  }

  public static LinearModel fitBinary(
      Table table,
      LogisticRegressionParams params,
      ComputingEngine engine,
      TrainingListener listener) {
    double[][] columns = columnsOf(table);
    double[] labels = table.labels();
    int d = columns.length;
    int n = table.rows();
    double penalty = 1 / (params.c() * n); // C·Σloss + ½‖w‖², divided by C·n
    double[] lastLoss = {Double.NaN};
    Lbfgs.Result result =
        new Lbfgs(LBFGS_MEMORY, params.maxIterations(), params.tolerance())
            .minimize(
                (x, gradient) -> {
                  double[] w = java.util.Arrays.copyOf(x, d);
                  double loss =
                      LogisticLoss.lossAndGradient(columns, labels, w, x[d], engine, gradient);
                  double value = loss / n;
                  for (int j = 0; j <= d; j++) {
                    gradient[j] /= n;
                  }
                  for (int j = 0; j < d; j++) {
                    value += 0.5 * penalty * x[j] * x[j];
                    gradient[j] += penalty * x[j];
                  }
                  lastLoss[0] = value;
                  return value;
                },
                new double[d + 1],
                iteration -> listener.onIteration(iteration, params.maxIterations(), lastLoss[0]));
    double[] x = result.x();
    return new LinearModel(
        new double[][] {java.util.Arrays.copyOf(x, d)},
        new double[] {x[d]},
        table.schema().featureNames());
  }

  public static LinearModel fitMultinomial(
      Table table,
      int classes,
      LogisticRegressionParams params,
      ComputingEngine engine,
      TrainingListener listener) {
    double[][] columns = columnsOf(table);
    double[] labels = table.labels();
    int d = columns.length;
    int stride = d + 1;
    int n = table.rows();
    double penalty = 1 / (params.c() * n);
    double[] lastLoss = {Double.NaN};
    Lbfgs.Result result =
        new Lbfgs(LBFGS_MEMORY, params.maxIterations(), params.tolerance())
            .minimize(
                (x, gradient) -> {
                  double[][] w = new double[classes][];
                  double[] b = new double[classes];
                  for (int c = 0; c < classes; c++) {
                    w[c] = java.util.Arrays.copyOfRange(x, c * stride, c * stride + d);
                    b[c] = x[c * stride + d];
                  }
                  double loss =
                      SoftmaxLoss.lossAndGradient(columns, labels, w, b, engine, gradient);
                  double value = loss / n;
                  for (int i = 0; i < gradient.length; i++) {
                    gradient[i] /= n;
                  }
                  for (int c = 0; c < classes; c++) {
                    for (int j = 0; j < d; j++) {
                      double v = x[c * stride + j];
                      value += 0.5 * penalty * v * v;
                      gradient[c * stride + j] += penalty * v;
                    }
                  }
                  lastLoss[0] = value;
                  return value;
                },
                new double[classes * stride],
                iteration -> listener.onIteration(iteration, params.maxIterations(), lastLoss[0]));
    double[] x = result.x();
    double[][] w = new double[classes][];
    double[] b = new double[classes];
    for (int c = 0; c < classes; c++) {
      w[c] = java.util.Arrays.copyOfRange(x, c * stride, c * stride + d);
      b[c] = x[c * stride + d];
    }
    return new LinearModel(w, b, table.schema().featureNames());
  }

  /** Probability of class 1 for a binary model. */
  public static double[] predictProbability(
      LinearModel model, Table table, ComputingEngine engine) {
    double[] z = model.decision(table, engine)[0];
    for (int i = 0; i < z.length; i++) {
      z[i] = ColumnOps.sigmoid(z[i]);
    }
    return z;
  }

  /** Class probabilities {@code [row][class]} for a multinomial model. */
  public static double[][] predictClassProbabilities(
      LinearModel model, Table table, ComputingEngine engine) {
    double[][] z = model.decision(table, engine);
    int k = z.length;
    double[][] p = new double[table.rows()][k];
    for (int i = 0; i < p.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, z[c][i]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        p[i][c] = Math.exp(z[c][i] - max);
        sum += p[i][c];
      }
      for (int c = 0; c < k; c++) {
        p[i][c] /= sum;
      }
    }
    return p;
  }

  private static double[][] columnsOf(Table table) {
    return Features.columnsFor(table, table.schema().featureNames());
  }
}
