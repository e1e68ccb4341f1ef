package io.federa.flow.job;

/** The state of a job or of one of its tasks (FATE's names). */
public enum State {
  WAITING,
  RUNNING,
  SUCCESS,
  FAILED,
  CANCELED;

  /** Whether nothing more will happen in this state. */
  public boolean ended() {
    return this == SUCCESS || this == FAILED || this == CANCELED;
  }
}
