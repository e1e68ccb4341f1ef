package io.federa.ml.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.federa.core.FederaException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Known answers (computed by hand; NumPy/SciPy give the same) for a column with a missing value.
 */
class ColumnStatisticsTest {
  @Test
  void summaryAndPercentiles_knownAnswers() {
    double[] x = {4, Double.NaN, 1, 2, 9};
    List<String> names = new java.util.ArrayList<>(ColumnStatistics.SUMMARY);
    names.add("25%");
    Map<String, Double> s = ColumnStatistics.column(x, names);
    assertEquals(4, s.get("count"));
    assertEquals(1, s.get("missing_count"));
    assertEquals(0.2, s.get("missing_ratio"), 1e-15);
    assertEquals(16, s.get("sum"));
    assertEquals(4, s.get("mean"));
    // deviations 0, -3, -2, 5: squares 38 → sample variance 38/3
    assertEquals(38.0 / 3, s.get("variance"), 1e-12);
    assertEquals(Math.sqrt(38.0 / 3), s.get("stddev"), 1e-12);
    assertEquals(Math.sqrt(38.0 / 3) / 4, s.get("coefficient_of_variation"), 1e-12);
    assertEquals(1, s.get("min"));
    assertEquals(9, s.get("max"));
    assertEquals(3, s.get("median"), 1e-12); // between 2 and 4
    assertEquals(1.75, s.get("25%"), 1e-12); // position 0.75 between 1 and 2
    double m2 = 38.0 / 4;
    double m3 = (0 - 27 - 8 + 125) / 4.0;
    double m4 = (0 + 81 + 16 + 625) / 4.0;
    assertEquals(m3 / Math.pow(m2, 1.5), s.get("skewness"), 1e-12);
    assertEquals(m4 / (m2 * m2) - 3, s.get("kurtosis"), 1e-12);
  }

  @Test
  void allMissing_isNaN_andUnknownNames_areRefused() {
    Map<String, Double> s =
        ColumnStatistics.column(new double[] {Double.NaN}, List.of("mean", "count"));
    assertTrue(Double.isNaN(s.get("mean")));
    assertEquals(0, s.get("count"));
    var e =
        assertThrows(
            FederaException.class,
            () -> ColumnStatistics.column(new double[] {1}, List.of("mode")));
    assertTrue(e.getMessage().contains("95%"), e.getMessage());
  }
}
