package io.federa.ml.optim;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.ArrayList;
import java.util.List;

/**
 * Full-batch L-BFGS when the weights are split between parties (hetero LR: each party its own
 * columns) or held by one (homo LR's arbiter, on the parties' summed gradients). Every vector
 * L-BFGS needs — the last steps {@code s}, gradient changes {@code y} and the gradient {@code g} —
 * is split the same way as the weights, and the two-loop recursion only needs their inner products
 * and linear combinations ("vector-free L-BFGS", W. Chen, Z. Wang and J. Zhou, NIPS 2014). So after
 * each full-batch gradient every holder of a block {@link #report reports} the Gram matrix of its
 * blocks of that basis and its penalty term; the {@link QuasiNewtonDecider} adds the reports, runs
 * the recursion on coefficients over the basis and answers with a {@link Step}, which every holder
 * {@link #apply applies} to its own block. One round trip per evaluation.
 *
 * <p>What the decider learns beyond the objective: the inner products among each holder's last
 * steps and gradient changes and its gradient's norm (not the vectors).
 */
public final class QuasiNewton {
  /** Pairs kept: on a quadratic over up to 30 weights, L-BFGS then ends where CG would. */
  public static final int MEMORY = 30;

  static final double ARMIJO = 1e-4;

  /** The decider's answer: go on (accepted step or shortened one) or stop, and where to. */
  public record Step(
      int action,
      double length,
      double shift,
      boolean addPair,
      boolean reset,
      double[] coefficients) {
    public static final int ACCEPT = 0;
    public static final int BACKTRACK = 1;
    public static final int STOP_HERE = 2;
    public static final int STOP_AT_BASE = 3;

    public boolean last() {
      return action >= STOP_HERE;
    }

    public double[] toArray() {
      double[] v = new double[5 + coefficients.length];
      v[0] = action;
      v[1] = length;
      v[2] = shift;
      v[3] = addPair ? 1 : 0;
      v[4] = reset ? 1 : 0;
      System.arraycopy(coefficients, 0, v, 5, coefficients.length);
      return v;
    }

    /** The step {@link #toArray} wrote, checked. */
    public static Step of(double[] v) {
      if (v.length < 5 || v[0] < 0 || v[0] > 3) {
        throw new FederaException(ErrorCode.PROTOCOL, "the decider's L-BFGS step is malformed");
      }
      double[] c = new double[v.length - 5];
      System.arraycopy(v, 5, c, 0, c.length);
      return new Step((int) v[0], v[1], v[2], v[3] == 1, v[4] == 1, c);
    }
  }

  private final List<double[]> s = new ArrayList<>();
  private final List<double[]> y = new ArrayList<>();
  private double[] base;
  private double[] gradientAtBase;
  private double[] direction;
  private List<double[]> basis;
  private double[] gradient;

  /**
   * After the objective's gradient {@code g} (penalty included) at {@code w}, whose penalty term is
   * {@code penalty}: this holder's report to the decider — the penalty term, then the Gram matrix
   * of its basis blocks {@code [s…, s_new, y…, y_new, g]}, row by row.
   */
  public double[] report(double[] w, double[] g, double penalty) {
    gradient = g.clone();
    basis = new ArrayList<>(s);
    if (base != null) {
      basis.add(minus(w, base));
    }
    basis.addAll(y);
    if (base != null) {
      basis.add(minus(gradient, gradientAtBase));
    }
    basis.add(gradient);
    int k = basis.size();
    double[] out = new double[1 + k * k];
    out[0] = penalty;
    for (int a = 0; a < k; a++) {
      for (int b = a; b < k; b++) {
        double dot = 0;
        double[] u = basis.get(a);
        double[] v = basis.get(b);
        for (int j = 0; j < u.length; j++) {
          dot += u[j] * v[j];
        }
        out[1 + a * k + b] = dot;
        out[1 + b * k + a] = dot;
      }
    }
    return out;
  }

  /** Moves {@code w} as the decider said. */
  public void apply(Step step, double[] w) {
    if (step.shift() != 0
        && base != null
        && (step.action() == Step.ACCEPT || step.action() == Step.STOP_HERE)) {
      // on a quadratic, to the minimum along the last direction: w + shift·s, g + shift·y
      int pairs = s.size();
      double[] sNew = basis.get(pairs);
      double[] yNew = basis.get(2 * pairs + 1);
      gradient = gradient.clone(); // the basis keeps the evaluated gradient
      for (int j = 0; j < w.length; j++) {
        w[j] += step.shift() * sNew[j];
        gradient[j] += step.shift() * yNew[j];
      }
    }
    switch (step.action()) {
      case Step.BACKTRACK -> set(w, base, step.length(), direction);
      case Step.STOP_AT_BASE -> System.arraycopy(base, 0, w, 0, w.length);
      case Step.STOP_HERE -> {}
      default -> {
        if (step.coefficients().length != basis.size()) {
          throw new FederaException(
              ErrorCode.PROTOCOL,
              "the decider's L-BFGS step has "
                  + step.coefficients().length
                  + " coefficients for a basis of "
                  + basis.size());
        }
        direction = new double[w.length];
        for (int i = 0; i < basis.size(); i++) {
          double c = step.coefficients()[i];
          double[] b = basis.get(i);
          for (int j = 0; j < w.length; j++) {
            direction[j] += c * b[j];
          }
        }
        if (base != null && step.addPair()) {
          int pairs = s.size();
          s.add(basis.get(pairs));
          y.add(basis.get(2 * pairs + 1));
          if (s.size() > MEMORY) {
            s.remove(0);
            y.remove(0);
          }
        }
        if (step.reset()) {
          s.clear();
          y.clear();
        }
        base = w.clone();
        gradientAtBase = gradient;
        set(w, base, step.length(), direction);
      }
    }
  }

  private static void set(double[] w, double[] from, double length, double[] direction) {
    for (int j = 0; j < w.length; j++) {
      w[j] = from[j] + length * direction[j];
    }
  }

  private static double[] minus(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      d[j] = a[j] - b[j];
    }
    return d;
  }

  /** The memory a checkpoint keeps (after {@link #apply}), for {@link #restore}. */
  public double[] state() {
    List<double[]> parts = new ArrayList<>();
    parts.add(new double[] {s.size()});
    parts.addAll(s);
    parts.addAll(y);
    parts.add(base);
    parts.add(gradientAtBase);
    parts.add(direction);
    int total = 0;
    for (double[] p : parts) {
      total += 1 + (p == null ? 0 : p.length);
    }
    double[] out = new double[total];
    int at = 0;
    for (double[] p : parts) {
      out[at++] = p == null ? -1 : p.length;
      if (p != null) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
    }
    return out;
  }

  /** Continues from a checkpoint's {@link #state}. */
  public void restore(double[] state) {
    int[] at = {0};
    int pairs = (int) next(state, at)[0];
    s.clear();
    y.clear();
    for (int i = 0; i < pairs; i++) {
      s.add(next(state, at));
    }
    for (int i = 0; i < pairs; i++) {
      y.add(next(state, at));
    }
    base = next(state, at);
    gradientAtBase = next(state, at);
    direction = next(state, at);
  }

  private static double[] next(double[] state, int[] at) {
    int n = (int) state[at[0]++];
    if (n < 0) {
      return null;
    }
    double[] v = java.util.Arrays.copyOfRange(state, at[0], at[0] + n);
    at[0] += n;
    return v;
  }
}
