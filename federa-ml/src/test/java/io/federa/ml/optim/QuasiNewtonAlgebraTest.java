package io.federa.ml.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The L-BFGS recursion on Gram matrices alone: two parties' blocks of a badly conditioned
 * quadratic, stepped by {@link QuasiNewtonDecider} from the sum of their reports, reach its
 * minimiser.
 */
class QuasiNewtonAlgebraTest {
  @Test
  void splitQuadratic_reachesTheMinimiser() {
    int d = 30;
    int split = 11;
    Random random = new Random(7);
    // A = QᵀΛQ with eigenvalues from 0.01 to 30 (condition 3,000)
    double[][] m = new double[d][d];
    for (double[] row : m) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
      }
    }
    for (int i = 0; i < d; i++) { // orthonormal rows (Gram–Schmidt)
      for (int j = 0; j < i; j++) {
        double dot = 0;
        for (int x = 0; x < d; x++) {
          dot += m[i][x] * m[j][x];
        }
        for (int x = 0; x < d; x++) {
          m[i][x] -= dot * m[j][x];
        }
      }
      double norm = 0;
      for (int x = 0; x < d; x++) {
        norm += m[i][x] * m[i][x];
      }
      for (int x = 0; x < d; x++) {
        m[i][x] /= Math.sqrt(norm);
      }
    }
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          a[i][j] += m[k][i] * m[k][j] * Math.pow(3000, -(double) k / (d - 1)) * 30;
        }
      }
    }
    double[] b = new double[d];
    for (int j = 0; j < d; j++) {
      b[j] = random.nextGaussian();
    }
    QuasiNewtonDecider decider = new QuasiNewtonDecider(100, 1e-10, false, true);
    QuasiNewton left = new QuasiNewton();
    QuasiNewton right = new QuasiNewton();
    double[] w = new double[d];
    int epochs = 0;
    for (int t = 0; t < 100; t++) {
      epochs++;
      double[] g = new double[d];
      double f = 0;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          g[i] += a[i][j] * w[j];
        }
        f += 0.5 * w[i] * g[i] - b[i] * w[i];
        g[i] -= b[i];
      }
      double[] wl = java.util.Arrays.copyOfRange(w, 0, split);
      double[] wr = java.util.Arrays.copyOfRange(w, split, d);
      decider.begin();
      decider.add(left.report(wl, java.util.Arrays.copyOfRange(g, 0, split), 0), "left");
      decider.add(right.report(wr, java.util.Arrays.copyOfRange(g, split, d), 0), "right");
      QuasiNewton.Step step = decider.step(f, t);
      left.apply(step, wl);
      right.apply(step, wr);
      System.arraycopy(wl, 0, w, 0, split);
      System.arraycopy(wr, 0, w, split, d - split);
      if (step.last()) {
        break;
      }
    }
    // the minimiser solves A·w = b
    double residual = 0;
    for (int i = 0; i < d; i++) {
      double r = -b[i];
      for (int j = 0; j < d; j++) {
        r += a[i][j] * w[j];
      }
      residual = Math.max(residual, Math.abs(r));
    }
    System.out.printf(
        "split quadratic: %d epochs, |Aw − b|∞ %.3g, %s%n", epochs, residual, decider.reason());
    assertTrue(decider.converged(), decider.reason());
    assertEquals(0, residual, 1e-4);
    assertTrue(epochs <= 40, "epochs " + epochs);
  }
}
