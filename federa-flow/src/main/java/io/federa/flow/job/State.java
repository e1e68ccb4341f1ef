package io.federa.flow.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.Locale;

/** The state of a job or of one of its tasks (FATE's names, written in lower case). */
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

  /** The name on the wire, in the HTTP API and in {@code --json}: {@code success}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static State of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FederaException(
          ErrorCode.INVALID_ARGUMENT,
          "unknown state '" + name + "'; one of waiting, running, success, failed, canceled");
    }
  }
}
