package io.federa.flow.component;

/** Where a running component reports its progress and metrics. */
public interface Tracker {
  /** A metric value: a per-iteration loss at its iteration, a final value at step 0. */
  void metric(String name, int step, double value);

  /** Progress of the component, 0 to 1. */
  void progress(double fraction);

  /** A line of the job's log at this party (never raw rows or keys). */
  void log(String line);
}
