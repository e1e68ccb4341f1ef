package io.federa.ml;

/** Told about every iteration (or tree) of a training run, for progress bars and loss curves. */
@FunctionalInterface
public interface TrainingListener {
  TrainingListener NONE = (iteration, planned, loss) -> {};

  /**
   * @param iteration 1-based iteration just finished
   * @param planned the most iterations the run will take
   * @param loss the training objective after it
   */
  void onIteration(int iteration, int planned, double loss);

  /**
   * Why a run (or one class model of it) stopped: {@code converged} when its criterion held, false
   * when it ran out of iterations first; {@code reason} says which, with the numbers.
   */
  default void onStop(boolean converged, String reason) {}
}
