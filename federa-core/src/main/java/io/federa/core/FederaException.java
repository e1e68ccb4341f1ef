package io.federa.core;

import java.util.Objects;

/**
 * The one unchecked exception of Federa. A user error's message names the cause and the fix, for
 * example {@code data.csv line 7: 12 values but the header has 11 columns; make every row as long
 * as the header}.
 */
public class FederaException extends RuntimeException {
  private final ErrorCode code;
  private String fix;
  private boolean shareable;

  public FederaException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public FederaException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * Says how to fix the error apart from the message (for a report's {@code fix} field), when the
   * message itself does not end with it; returns this exception.
   */
  public FederaException withFix(String how) {
    this.fix = how;
    return this;
  }

  /** How to fix the error, when given apart from the message (else null). */
  public String fix() {
    return fix;
  }

  /**
   * Marks the message as safe to tell other parties: it names only what they already know (a party,
   * a component, a table the job's conf names), never this party's rows, values or paths. Returns
   * this exception.
   */
  public FederaException shareable() {
    this.shareable = true;
    return this;
  }

  /**
   * Whether the message may cross to other parties: marked {@link #shareable()}, or about the
   * protocol itself ({@code TIMEOUT}, {@code PROTOCOL}, {@code JOB_FAILED}: parties, message keys,
   * waits). Anything else may quote this party's data, and crosses as its code only ({@link
   * ErrorReport#forPeers}).
   */
  public boolean isShareable() {
    return shareable
        || code == ErrorCode.TIMEOUT
        || code == ErrorCode.PROTOCOL
        || code == ErrorCode.JOB_FAILED;
  }
}
