package io.federa.core.compute;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * Where algorithms do their heavy work: partitioned loops and aggregations over the rows {@code [0,
 * rows)} of a table (or the elements of a vector). The interface is kept narrow on purpose so that
 * a cluster engine can implement it later.
 *
 * <p>Partitions are fixed-size ranges whose boundaries do not depend on the number of cores, and
 * partial results are combined in partition order, so a floating-point aggregation gives the same
 * bits on every machine.
 */
public interface ComputingEngine extends AutoCloseable {

  /** Folds one partition {@code [from, to)} into an accumulator. */
  @FunctionalInterface
  interface RangeFolder<A> {
    A fold(A accumulator, int from, int to);
  }

  /** Does work on one partition {@code [from, to)}. */
  @FunctionalInterface
  interface RangeAction {
    void run(int from, int to);
  }

  /** Number of partitions that run at once. */
  int parallelism();

  /** Runs {@code action} over every partition of {@code [0, size)}, in parallel. */
  void forEachRange(int size, RangeAction action);

  /**
   * As {@link #forEachRange(int, RangeAction)} with partitions of {@code grain} elements: for
   * elements that are each much work (a ciphertext operation), where the default partition would
   * leave cores idle.
   */
  void forEachRange(int size, int grain, RangeAction action);

  /**
   * Aggregates {@code [0, size)}: each partition starts from {@code zero.get()}, is folded with
   * {@code fold}, and partial results are merged with {@code combine} in partition order.
   */
  <A> A aggregate(int size, Supplier<A> zero, RangeFolder<A> fold, BinaryOperator<A> combine);

  /**
   * As {@link #aggregate(int, Supplier, RangeFolder, BinaryOperator)} with partitions of {@code
   * grain}.
   */
  <A> A aggregate(
      int size, int grain, Supplier<A> zero, RangeFolder<A> fold, BinaryOperator<A> combine);

  @Override
  default void close() {}
}
