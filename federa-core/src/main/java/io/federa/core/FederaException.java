package io.federa.core;

import java.util.Objects;

/**
 * The one unchecked exception of Federa. A user error's message names the cause and the fix, for
 * example {@code data.csv line 7: 12 values but the header has 11 columns; make every row as long
 * as the header}.
 */
public class FederaException extends RuntimeException {
  private final ErrorCode code;

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
}
