package io.federa.flow.component;

import io.federa.ml.TrainingListener;

/** Where a running component reports its progress and metrics. */
public interface Tracker {
  /** A metric value: a per-iteration loss at its iteration, a final value at step 0. */
  void metric(String name, int step, double value);

  /**
   * A metric of what this party knows of its own data (its columns' statistics), kept in this
   * node's tracking only: never reported to the initiator ({@code federa metrics} at this node
   * shows it).
   */
  void metricLocal(String name, int step, double value);

  /** Progress of the component, 0 to 1. */
  void progress(double fraction);

  /** A line of the job's log at this party (never raw rows or keys). */
  void log(String line);

  /**
   * A line of this party's own log that no other party may read (the initiator's {@code federa logs
   * --party} leaves it out): what this party knows of its own data, such as its features'
   * importance.
   */
  void logLocal(String line);

  /**
   * A training run's listener at the party that learns the loss: each iteration's {@code loss} and
   * {@code iteration_seconds} (wall time since the previous report, or since this call for the
   * first; iterations replayed from a checkpoint report almost none), and progress up to {@code
   * share} of the component; when the run stops, the metric {@code converged} (1 or 0) and a log
   * line saying why.
   */
  default TrainingListener iterations(double share) {
    long[] last = {System.nanoTime()};
    return new TrainingListener() {
      @Override
      public void onIteration(int iteration, int planned, double loss) {
        long now = System.nanoTime();
        metric("loss", iteration, loss);
        metric("iteration_seconds", iteration, (now - last[0]) / 1e9);
        last[0] = now;
        progress(share * iteration / planned);
      }

      @Override
      public void onStop(boolean converged, String reason) {
        metric("converged", 0, converged ? 1 : 0);
        log(reason);
      }
    };
  }
}
