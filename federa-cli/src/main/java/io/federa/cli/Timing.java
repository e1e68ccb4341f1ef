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

  /**
   * Calls per second of {@code op(i)} over about {@code seconds}, after a second of warm-up (the
   * JIT compiles a hot path, and the JDK's intrinsics with it, only after many calls).
   */
  public static double rate(double seconds, java.util.function.IntConsumer op) {
    long warmEnd = System.nanoTime() + 1_000_000_000L;
    int i = 0;
    do {
      op.accept(i++);
    } while (System.nanoTime() < warmEnd);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int count = 0;
    long now;
    do {
      op.accept(count++);
      now = System.nanoTime();
    } while (now < end);
    return count / ((now - start) / 1e9);
  }

  public static double seconds(Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }
}
