package io.federa.ml.optim;

import io.federa.core.linalg.ColumnOps;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntConsumer;

/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithm 7.4 for the
 * two-loop recursion, 3.1 for backtracking with the Armijo condition). Used by the centralized
 * baselines, which must reach the same optimum as scikit-learn's lbfgs solver.
 */
public final class Lbfgs {
  /** What a run ended with. */
  public record Result(double[] x, double value, int iterations, boolean converged) {}

  private final int memory;
  private final int maxIterations;
  private final double gradientTolerance;

  /**
   * @param memory number of correction pairs kept (scikit-learn/scipy use 10)
   * @param maxIterations upper bound on iterations
   * @param gradientTolerance stop when {@code max|∇f| ≤ gradientTolerance}
   */
  public Lbfgs(int memory, int maxIterations, double gradientTolerance) {
    if (memory < 1 || maxIterations < 1 || !(gradientTolerance > 0)) {
      throw new IllegalArgumentException(
          "memory and maxIterations must be ≥ 1 and tolerance > 0, got "
              + memory
              + ", "
              + maxIterations
              + ", "
              + gradientTolerance);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
  }

  public Result minimize(DifferentiableFunction f, double[] start, IntConsumer onIteration) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    Deque<double[]> sList = new ArrayDeque<>();
    Deque<double[]> yList = new ArrayDeque<>();
    Deque<Double> rhoList = new ArrayDeque<>();
    double[] direction = new double[n];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    for (int iter = 1; iter <= maxIterations; iter++) {
      if (ColumnOps.normInf(g) <= gradientTolerance) {
        return new Result(x, fx, iter - 1, true);
      }
      twoLoop(g, sList, yList, rhoList, direction);
      double slope = ColumnOps.dot(g, direction);
      if (slope >= 0) { // not a descent direction: restart from steepest descent
        sList.clear();
        yList.clear();
        rhoList.clear();
        for (int i = 0; i < n; i++) {
          direction[i] = -g[i];
        }
        slope = ColumnOps.dot(g, direction);
      }
      double step = sList.isEmpty() ? Math.min(1, 1 / Math.max(ColumnOps.normInf(g), 1e-12)) : 1;
      double fNew;
      int backtracks = 0;
      while (true) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * direction[i];
        }
        fNew = f.valueAndGradient(xNew, gNew);
        if (fNew <= fx + 1e-4 * step * slope || backtracks >= 40) {
          break;
        }
        step *= 0.5;
        backtracks++;
      }
      if (backtracks >= 40 && fNew > fx) {
        return new Result(x, fx, iter, false);
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      double sy = ColumnOps.dot(s, y);
      if (sy > 1e-12) {
        if (sList.size() == memory) {
          sList.removeFirst();
          yList.removeFirst();
          rhoList.removeFirst();
        }
        sList.addLast(s);
        yList.addLast(y);
        rhoList.addLast(1 / sy);
      }
      double previous = fx;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (onIteration != null) {
        onIteration.accept(iter);
      }
      if (Math.abs(previous - fx) <= 1e-15 * Math.max(1, Math.abs(fx))) {
        return new Result(x, fx, iter, true);
      }
    }
    return new Result(x, fx, maxIterations, ColumnOps.normInf(g) <= gradientTolerance);
  }

  private static void twoLoop(
      double[] g,
      Deque<double[]> sList,
      Deque<double[]> yList,
      Deque<Double> rhoList,
      double[] out) {
    int m = sList.size();
    double[][] s = sList.toArray(new double[0][]);
    double[][] y = yList.toArray(new double[0][]);
    Double[] rho = rhoList.toArray(new Double[0]);
    double[] q = g.clone();
    double[] alpha = new double[m];
    for (int k = m - 1; k >= 0; k--) {
      alpha[k] = rho[k] * ColumnOps.dot(s[k], q);
      for (int i = 0; i < q.length; i++) {
        q[i] -= alpha[k] * y[k][i];
      }
    }
    double gamma =
        m == 0 ? 1 : ColumnOps.dot(s[m - 1], y[m - 1]) / ColumnOps.dot(y[m - 1], y[m - 1]);
    for (int i = 0; i < q.length; i++) {
      q[i] *= gamma;
    }
    for (int k = 0; k < m; k++) {
      double beta = rho[k] * ColumnOps.dot(y[k], q);
      for (int i = 0; i < q.length; i++) {
        q[i] += s[k][i] * (alpha[k] - beta);
      }
    }
    for (int i = 0; i < q.length; i++) {
      out[i] = -q[i];
    }
  }
}
