package io.federa.core.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldCursorTest {
  private static double parse(String text) {
    var cursor = new FieldCursor("t.csv", ',');
    cursor.reset(text, 1);
    cursor.next();
    return cursor.parseDouble();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void parseDouble_onRandomDecimals_equalsJavaParser(long seed) {
    Random rnd = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      double v = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(30) - 15);
      String[] forms = {
        Double.toString(v),
        String.format(Locale.ROOT, "%.6f", v),
        String.format(Locale.ROOT, "%.17g", v),
        String.format(Locale.ROOT, "%.3e", v),
        Long.toString(rnd.nextLong() >> rnd.nextInt(64)),
      };
      for (String s : forms) {
        assertEquals(
            Double.doubleToLongBits(Double.parseDouble(s)),
            Double.doubleToLongBits(parse(s)),
            () -> "parsing " + s);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {" 1.5", "+1.5 ", "1.50", "15e-1", "0.15E1", ".15e1", "1.5e+0"})
  void parseDouble_acceptsCommonSpellings(String text) {
    assertEquals(1.5, parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "abc", "1.2.3", "1e", "--1", "0x10", "1f", "NaN", "-Infinity", "e5"})
  void parseDouble_refusesWhatIsNotAFiniteNumber(String text) {
    assertTrue(Double.isNaN(parse(text)), text);
  }
}
