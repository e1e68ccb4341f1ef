package io.federa.core.linalg;

/**
 * The two products every linear model is made of, over a range of rows of column-major features:
 * {@code z = X·w} and {@code g = Xᵀ·r}. Column-at-a-time loops keep memory access sequential.
 */
public final class ColumnOps {
  private ColumnOps() {}

  /** {@code out[i - from] = bias + Σ_j w[j]·columns[j][i]} for rows {@code from ≤ i < to}. */
  public static void linearPredictor(
      double[][] columns, double[] w, double bias, int from, int to, double[] out) {
    int n = to - from;
    java.util.Arrays.fill(out, 0, n, bias);
    for (int j = 0; j < columns.length; j++) {
      double wj = w[j];
      if (wj == 0) {
        continue;
      }
      double[] col = columns[j];
      for (int i = 0; i < n; i++) {
        out[i] += wj * col[from + i];
      }
    }
  }

  /** {@code acc[j] += Σ_i r[i - from]·columns[j][i]} for rows {@code from ≤ i < to}. */
  public static void addTransposeTimes(
      double[][] columns, double[] r, int from, int to, double[] acc) {
    int n = to - from;
    for (int j = 0; j < columns.length; j++) {
      double[] col = columns[j];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += r[i] * col[from + i];
      }
      acc[j] += sum;
    }
  }

  /** Element-wise sum into {@code acc}; returns it. */
  public static double[] addInto(double[] acc, double[] other) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += other[i];
    }
    return acc;
  }

  public static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /**
   * The cosine of the angle between {@code a} and {@code b} (how alike two models' weights are).
   */
  public static double cosine(double[] a, double[] b) {
    return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  }

  public static double normInf(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** Numerically stable logistic function. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }

  /** Numerically stable {@code log(1 + exp(z))}. */
  public static double log1pExp(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  /**
   * Solves the symmetric positive definite system {@code a·x = b} by Cholesky factorisation; {@code
   * a} is overwritten. Returns null when {@code a} is not positive definite.
   */
  public static double[] solveSpd(double[][] a, double[] b) {
    int n = b.length;
    for (int j = 0; j < n; j++) {
      double d = a[j][j];
      for (int k = 0; k < j; k++) {
        d -= a[j][k] * a[j][k];
      }
      if (d <= 0) {
        return null;
      }
      a[j][j] = Math.sqrt(d);
      for (int i = j + 1; i < n; i++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= a[i][k] * a[j][k];
        }
        a[i][j] = s / a[j][j];
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= a[i][k] * y[k];
      }
      y[i] = s / a[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= a[k][i] * x[k];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }
}
