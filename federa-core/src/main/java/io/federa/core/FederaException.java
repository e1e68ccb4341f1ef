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
}
