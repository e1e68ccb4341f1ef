package io.federa.core.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalEngineTest {
  private static double[] randomValues(int n) {
    Random rnd = new Random(n);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12));
    }
    return v;
  }

  private static double sum(ComputingEngine engine, double[] v) {
    return engine
        .aggregate(
            v.length,
            () -> new double[1],
            (acc, from, to) -> {
              for (int i = from; i < to; i++) {
                acc[0] += v[i];
              }
              return acc;
            },
            (a, b) -> {
              a[0] += b[0];
              return a;
            })[0];
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 2048, 2049, 100_000})
  void forEachRange_visitsEveryIndexExactlyOnce(int size) {
    try (var engine = LocalEngine.withThreads(4, 1000)) {
      var visits = new AtomicIntegerArray(Math.max(size, 1));
      engine.forEachRange(
          size,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              visits.incrementAndGet(i);
            }
          });
      for (int i = 0; i < size; i++) {
        assertEquals(1, visits.get(i), "index " + i);
      }
    }
  }

  @Test
  void aggregate_givesTheSameBitsWhateverTheThreadCount() {
    double[] v = randomValues(1_000_003);
    double expected;
    try (var one = LocalEngine.withThreads(1, 4096)) {
      expected = sum(one, v);
    }
    for (int threads : new int[] {2, 3, 8}) {
      try (var many = LocalEngine.withThreads(threads, 4096)) {
        assertEquals(
            Double.doubleToLongBits(expected), Double.doubleToLongBits(sum(many, v)), "threads");
      }
    }
    double plain = 0;
    for (double x : v) {
      plain += x;
    }
    assertEquals(plain, expected, Math.abs(plain) * 1e-9);
  }

  @Test
  void aggregate_nestedInsideAPartition_doesNotDeadlock() {
    try (var engine = LocalEngine.withThreads(2, 10)) {
      long total =
          engine
              .aggregate(
                  100,
                  () -> new long[1],
                  (acc, from, to) -> {
                    for (int i = from; i < to; i++) {
                      int inner = i;
                      acc[0] +=
                          engine
                              .aggregate(
                                  50,
                                  () -> new long[1],
                                  (a, f, t) -> {
                                    a[0] += (long) (t - f) * inner;
                                    return a;
                                  },
                                  (a, b) -> {
                                    a[0] += b[0];
                                    return a;
                                  })[0];
                    }
                    return acc;
                  },
                  (a, b) -> {
                    a[0] += b[0];
                    return a;
                  })[0];
      assertEquals(50L * (99 * 100 / 2), total);
    }
  }

  @Test
  void aggregate_ofNothing_isTheZero() {
    try (var engine = LocalEngine.allCores()) {
      assertEquals(0.0, sum(engine, new double[0]));
    }
  }
}
