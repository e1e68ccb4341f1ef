package io.federa.core.compute;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * The computing engine of one machine: a fork/join pool over all cores. Work is cut into partitions
 * of {@code grain} elements (the same on every machine) and split recursively, so nested calls from
 * inside a partition do not deadlock.
 */
public final class LocalEngine implements ComputingEngine {
  /** Partition size used unless told otherwise. */
  public static final int DEFAULT_GRAIN = 2048;

  private final ForkJoinPool pool;
  private final int grain;
  private final boolean ownsPool;

  private LocalEngine(ForkJoinPool pool, int grain, boolean ownsPool) {
    if (grain < 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "partition size must be at least 1, got " + grain);
    }
    this.pool = pool;
    this.grain = grain;
    this.ownsPool = ownsPool;
  }

  /**
   * One pool with a thread per core, shared by every {@link #allCores()} engine (the JVM's common
   * pool has one thread fewer than there are cores).
   */
  private static final class Shared {
    static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
  }

  /** An engine using every core, on a shared pool of daemon threads. */
  public static LocalEngine allCores() {
    return new LocalEngine(Shared.POOL, DEFAULT_GRAIN, false);
  }

  /** An engine with its own pool of {@code threads} threads and partitions of {@code grain}. */
  public static LocalEngine withThreads(int threads, int grain) {
    if (threads < 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "thread count must be at least 1, got " + threads);
    }
    return new LocalEngine(new ForkJoinPool(threads), grain, true);
  }

  @Override
  public int parallelism() {
    return pool.getParallelism();
  }

  @Override
  public void forEachRange(int size, RangeAction action) {
    forEachRange(size, grain, action);
  }

  @Override
  public void forEachRange(int size, int partitionSize, RangeAction action) {
    if (size <= 0) {
      return;
    }
    int parts = partitions(size, partitionSize);
    if (parts == 1) {
      action.run(0, size);
      return;
    }
    pool.invoke(new ForEach(action, size, partitionSize, 0, parts));
  }

  @Override
  public <A> A aggregate(
      int size, Supplier<A> zero, RangeFolder<A> fold, BinaryOperator<A> combine) {
    return aggregate(size, grain, zero, fold, combine);
  }

  @Override
  public <A> A aggregate(
      int size,
      int partitionSize,
      Supplier<A> zero,
      RangeFolder<A> fold,
      BinaryOperator<A> combine) {
    if (size <= 0) {
      return zero.get();
    }
    int parts = partitions(size, partitionSize);
    if (parts == 1) {
      return fold.fold(zero.get(), 0, size);
    }
    return pool.invoke(new Aggregate<>(zero, fold, combine, size, partitionSize, 0, parts));
  }

  private static int partitions(int size, int partitionSize) {
    if (partitionSize < 1) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT, "partition size must be at least 1, got " + partitionSize);
    }
    return (int) ((size + (long) partitionSize - 1) / partitionSize);
  }

  @Override
  public void close() {
    if (ownsPool) {
      pool.shutdown();
    }
  }

  private final class ForEach extends RecursiveAction {
    private final RangeAction action;
    private final int size;
    private final int grain;
    private final int firstPart;
    private final int endPart;

    ForEach(RangeAction action, int size, int grain, int firstPart, int endPart) {
      this.action = action;
      this.size = size;
      this.grain = grain;
      this.firstPart = firstPart;
      this.endPart = endPart;
    }

    @Override
    protected void compute() {
      if (endPart - firstPart == 1) {
        int from = firstPart * grain;
        action.run(from, Math.min(size, from + grain));
        return;
      }
      int mid = (firstPart + endPart) >>> 1;
      invokeAll(
          new ForEach(action, size, grain, firstPart, mid),
          new ForEach(action, size, grain, mid, endPart));
    }
  }

  private final class Aggregate<A> extends RecursiveTask<A> {
    private final Supplier<A> zero;
    private final RangeFolder<A> fold;
    private final BinaryOperator<A> combine;
    private final int size;
    private final int grain;
    private final int firstPart;
    private final int endPart;

    Aggregate(
        Supplier<A> zero,
        RangeFolder<A> fold,
        BinaryOperator<A> combine,
        int size,
        int grain,
        int firstPart,
        int endPart) {
      this.zero = zero;
      this.fold = fold;
      this.combine = combine;
      this.size = size;
      this.grain = grain;
      this.firstPart = firstPart;
      this.endPart = endPart;
    }

    @Override
    protected A compute() {
      if (endPart - firstPart == 1) {
        int from = firstPart * grain;
        return fold.fold(zero.get(), from, Math.min(size, from + grain));
      }
      int mid = (firstPart + endPart) >>> 1;
      var left = new Aggregate<>(zero, fold, combine, size, grain, firstPart, mid);
      var right = new Aggregate<>(zero, fold, combine, size, grain, mid, endPart);
      right.fork();
      A l = left.compute();
      return combine.apply(l, right.join());
    }
  }
}
