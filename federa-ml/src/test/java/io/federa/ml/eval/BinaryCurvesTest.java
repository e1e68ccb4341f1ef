package io.federa.ml.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Known answers worked by hand. */
class BinaryCurvesTest {
  @Test
  void fiveRows_everyThreshold() {
    double[] y = {1, 0, 1, 0, 1};
    double[] s = {0.9, 0.8, 0.7, 0.3, 0.1};
    BinaryCurves c = BinaryCurves.of(y, s, 101);
    assertArrayEquals(new double[] {0.9, 0.8, 0.7, 0.3, 0.1}, c.threshold());
    assertArrayEquals(new long[] {1, 1, 2, 2, 3}, c.tp());
    assertArrayEquals(new long[] {0, 1, 1, 2, 2}, c.fp());
    assertArrayEquals(new long[] {2, 1, 1, 0, 0}, c.tn());
    assertArrayEquals(new long[] {2, 2, 1, 1, 0}, c.fn());
    assertArrayEquals(new double[] {0.2, 0.4, 0.6, 0.8, 1.0}, c.population(), 1e-12);
    assertArrayEquals(new double[] {1, 0.5, 2 / 3.0, 0.5, 0.6}, c.precision(), 1e-12);
    assertArrayEquals(
        new double[] {1 / 0.6, 0.5 / 0.6, (2 / 3.0) / 0.6, 0.5 / 0.6, 1}, c.lift(), 1e-12);
    assertArrayEquals(
        new double[] {1 / 3.0, 1 / 3.0 - 0.5, 2 / 3.0 - 0.5, 2 / 3.0 - 1, 0}, c.ks(), 1e-12);
    assertEquals(3, BinaryCurves.of(y, s, 3).size());
  }

  @Test
  void psi_knownAnswer() {
    double[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] actual = {0, 0, 0, 9, 9, 9, 9, 9, 9, 9};
    double psi = (0.3 - 0.5) * Math.log(0.3 / 0.5) + (0.7 - 0.5) * Math.log(0.7 / 0.5);
    assertEquals(psi, BinaryCurves.psi(expected, actual, 2), 1e-12);
    assertEquals(0, BinaryCurves.psi(expected, expected, 4), 1e-12);
  }
}
