package io.federa.cli;

import java.util.Arrays;

/** Wall-clock timing for the benchmarks. */
public final class Timing {
  private Timing() {}

  /** Seconds of the fastest of {@code runs} runs. */
  public static double best(int runs, Runnable work) {
    double best = Double.MAX_VALUE;
    for (int r = 0; r < runs; r++) {
      best = Math.min(best, seconds(work));
    }
    return best;
  }

  /** Seconds of the median of {@code runs} runs. */
  public static double median(int runs, Runnable work) {
    double[] times = new double[runs];
    for (int r = 0; r < runs; r++) {
      times[r] = seconds(work);
    }
    Arrays.sort(times);
    return times[runs / 2];
  }

  public static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  public static double seconds(Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }
}
