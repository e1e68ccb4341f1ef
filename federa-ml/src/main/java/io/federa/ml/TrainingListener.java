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
}
