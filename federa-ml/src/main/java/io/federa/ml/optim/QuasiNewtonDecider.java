package io.federa.ml.optim;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;

/**
 * The decider's side of {@link QuasiNewton} (hetero LR's arbiter, or its guest without one; homo
 * LR's arbiter): adds the holders' reports, checks the step, runs the L-BFGS two-loop recursion on
 * coefficients over the basis {@code [s…, s_new, y…, y_new, g]}, and decides when to stop — by the
 * objective's change ({@code tol}, FATE's {@code diff}) or the weights' ({@code weight_diff}), or
 * at a vanishing gradient.
 */
public final class QuasiNewtonDecider {
  private static final int MAX_BACKTRACKS = 20;
  private final int maxIter;
  private final double tol;
  private final boolean byWeights;
  private final boolean quadratic;
  private int pairs;
  private boolean started;
  private double baseLoss;
  private double objective = Double.NaN;
  private double slope;
  private double length;
  private int backtracks;
  private boolean converged;
  private String reason = "";
  private double[][] sum;
  private double penalties;

  /**
   * Stops after {@code maxIter} evaluations, or when the objective (or, {@code byWeights}, the
   * weights) changes by less than {@code tol}; {@code quadratic}: the objective is quadratic in the
   * weights (hetero LR's Taylor loss, least squares), so every step goes to the exact minimum along
   * its direction at no extra evaluation; otherwise Armijo backtracking.
   */
  public QuasiNewtonDecider(int maxIter, double tol, boolean byWeights, boolean quadratic) {
    this.maxIter = maxIter;
    this.tol = tol;
    this.byWeights = byWeights;
    this.quadratic = quadratic;
  }

  /** Whether the run ended by the criterion (not by the iteration cap). */
  public boolean converged() {
    return converged;
  }

  /** Why the run stopped, with the numbers (empty while it goes on). */
  public String reason() {
    return reason;
  }

  /** The objective (loss plus every holder's penalty term) at the last point evaluated. */
  public double objective() {
    return objective;
  }

  /** What a checkpoint keeps (after a step), for {@link #restore}. */
  public double[] state() {
    return new double[] {pairs, started ? 1 : 0, baseLoss, slope, length, backtracks};
  }

  /** Continues from a checkpoint's {@link #state}. */
  public void restore(double[] state) {
    pairs = (int) state[0];
    started = state[1] == 1;
    baseLoss = state[2];
    slope = state[3];
    length = state[4];
    backtracks = (int) state[5];
  }

  /** Starts adding the holders' reports for the next evaluation. */
  public void begin() {
    int k = 2 * (pairs + (started ? 1 : 0)) + 1;
    sum = new double[k][k];
    penalties = 0;
  }

  /** Adds one holder's report ({@link QuasiNewton#report}); {@code who} names it in errors. */
  public void add(double[] report, String who) {
    int k = sum.length;
    if (report.length != 1 + k * k) {
      throw new FederaException(
          ErrorCode.PROTOCOL,
          who + "'s L-BFGS report holds " + report.length + " numbers, expected " + (1 + k * k));
    }
    penalties += report[0];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        sum[a][b] += report[1 + a * k + b];
      }
    }
  }

  /**
   * The step after evaluation {@code t} (counted from 0), once every report is added; the objective
   * is {@code loss} plus the reports' penalty terms.
   */
  public QuasiNewton.Step step(double loss, int t) {
    return step(sum, loss + penalties, t);
  }

  QuasiNewton.Step step(double[][] gram, double objective, int t) {
    this.objective = objective;
    int k = gram.length;
    int p = pairs + (started ? 1 : 0); // s vectors in the basis
    int g = 2 * p;
    int sNew = pairs;
    int yNew = p + pairs;
    double shift = 0; // on a quadratic: to the minimum along the last direction, w + shift·s
    double loss = objective;
    if (started) {
      double sy = gram[sNew][yNew];
      if (quadratic && sy > 0) {
        // y = H·s exactly, so dᵀHd = sᵀy/length² and the line's minimum is at −slope/dᵀHd
        double curvature = sy / (length * length);
        double best = -slope / curvature;
        shift = best / length - 1;
        loss = baseLoss + best * slope + 0.5 * best * best * curvature;
      } else if (!(objective <= baseLoss + QuasiNewton.ARMIJO * length * slope)) {
        backtracks++;
        if (backtracks > MAX_BACKTRACKS || t == maxIter - 1) {
          return stop(
              QuasiNewton.Step.STOP_AT_BASE,
              0,
              false,
              String.format(
                  "stopped after %d epochs: no step along the search direction lowered the loss"
                      + " %.6g (numerical limit); the model is at the last point that did",
                  t + 1, baseLoss),
              k);
        }
        double curvature = objective - baseLoss - slope * length;
        double next = curvature > 0 ? -slope * length * length / (2 * curvature) : length / 2;
        length = Math.min(0.5 * length, Math.max(0.1 * length, next));
        return new QuasiNewton.Step(
            QuasiNewton.Step.BACKTRACK, length, 0, false, false, new double[k]);
      }
      backtracks = 0;
      double change =
          byWeights
              ? Math.abs(1 + shift) * Math.sqrt(Math.max(0, gram[sNew][sNew]))
              : baseLoss - loss;
      String what = byWeights ? "weights" : "loss";
      if (change < tol) {
        return stop(
            QuasiNewton.Step.STOP_HERE,
            shift,
            true,
            String.format(
                "converged after %d epochs: the %s changed by %.3g < tol %.3g (L-BFGS)",
                t + 1, what, change, tol),
            k);
      }
    }
    // the gradient at the new point, as a combination of the basis: g + shift·y
    double[] q = unit(k, g);
    if (shift != 0) {
      q[yNew] = shift;
    }
    double gradientNorm = Math.sqrt(Math.max(0, dot(gram, q, q)));
    if (gradientNorm < 1e-12) {
      return stop(
          QuasiNewton.Step.STOP_HERE,
          shift,
          true,
          String.format("converged after %d epochs: the gradient vanished (L-BFGS)", t + 1),
          k);
    }
    if (t == maxIter - 1) {
      return stop(
          QuasiNewton.Step.STOP_HERE,
          shift,
          false,
          String.format(
              "stopped at max_iter %d without converging (L-BFGS); raise max_iter", maxIter),
          k);
    }
    // the pairs the recursion uses, oldest first: (s index, y index)
    boolean addPair = started && gram[sNew][yNew] > 1e-12 * gram[yNew][yNew];
    int used = Math.min(QuasiNewton.MEMORY, pairs + (addPair ? 1 : 0));
    int[] sIndex = new int[used];
    int[] yIndex = new int[used];
    for (int i = 0; i < used; i++) {
      int pair = pairs + (addPair ? 1 : 0) - used + i; // 0..pairs (pairs = the new one)
      sIndex[i] = pair;
      yIndex[i] = p + pair;
    }
    double[] gradient = q.clone();
    double[] a = new double[used];
    double[] rho = new double[used];
    for (int i = used - 1; i >= 0; i--) {
      rho[i] = 1 / gram[sIndex[i]][yIndex[i]];
      a[i] = rho[i] * dot(gram, unit(k, sIndex[i]), q);
      q[yIndex[i]] -= a[i];
    }
    double gamma =
        used == 0
            ? 1
            : gram[sIndex[used - 1]][yIndex[used - 1]] / gram[yIndex[used - 1]][yIndex[used - 1]];
    double[] r = q.clone();
    for (int j = 0; j < k; j++) {
      r[j] *= gamma;
    }
    for (int i = 0; i < used; i++) {
      double beta = rho[i] * dot(gram, unit(k, yIndex[i]), r);
      r[sIndex[i]] += a[i] - beta;
    }
    double[] d = new double[k];
    for (int j = 0; j < k; j++) {
      d[j] = -r[j];
    }
    slope = dot(gram, gradient, d);
    boolean reset = false;
    if (!(slope < 0)) { // not a descent direction: start the memory afresh with −g
      d = new double[k];
      for (int j = 0; j < k; j++) {
        d[j] = -gradient[j];
      }
      slope = -gradientNorm * gradientNorm;
      reset = true;
      used = 0;
    }
    length = used > 0 || quadratic ? 1 : Math.min(1, 1 / gradientNorm);
    pairs = reset ? 0 : used;
    started = true;
    baseLoss = loss;
    return new QuasiNewton.Step(QuasiNewton.Step.ACCEPT, length, shift, addPair, reset, d);
  }

  private QuasiNewton.Step stop(int action, double shift, boolean converged, String reason, int k) {
    this.converged = converged;
    this.reason = reason;
    return new QuasiNewton.Step(action, 0, shift, false, false, new double[k]);
  }

  private static double[] unit(int k, int i) {
    double[] e = new double[k];
    e[i] = 1;
    return e;
  }

  /** {@code uᵀ·G·v}: the inner product of two combinations of the basis. */
  private static double dot(double[][] gram, double[] u, double[] v) {
    double sum = 0;
    for (int a = 0; a < u.length; a++) {
      if (u[a] == 0) {
        continue;
      }
      for (int b = 0; b < v.length; b++) {
        sum += u[a] * gram[a][b] * v[b];
      }
    }
    return sum;
  }
}
