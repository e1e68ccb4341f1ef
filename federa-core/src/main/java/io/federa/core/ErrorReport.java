package io.federa.core;

/**
 * The one shape of an error wherever it leaves Federa — the HTTP API, {@code --json} and the
 * control calls between nodes: its code, the code's kind (user, resource, internal), the message
 * (which names the cause and, by convention, the fix) and, when known apart, the fix.
 */
public record ErrorReport(ErrorCode code, ErrorCode.Kind kind, String message, String fix) {

  /** The report of {@code e}: a {@link FederaException}'s own code, anything else internal. */
  public static ErrorReport of(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof FederaException f) {
      return new ErrorReport(f.code(), f.code().kind(), message, f.fix());
    }
    return new ErrorReport(ErrorCode.INTERNAL, ErrorCode.Kind.INTERNAL, message, null);
  }

  /**
   * What another party may be told of {@code e}: the message of the first {@link FederaException}
   * in its causes if that is {@link FederaException#isShareable() shareable}; otherwise its code
   * and what the code means, never its words (which may quote this party's rows, values or paths).
   */
  public static String forPeers(Throwable e) {
    Throwable t = e;
    while (t != null && !(t instanceof FederaException)) {
      t = t.getCause();
    }
    if (t instanceof FederaException f && f.isShareable() && f.getMessage() != null) {
      return f.getMessage();
    }
    ErrorCode code = t instanceof FederaException f ? f.code() : ErrorCode.INTERNAL;
    String what =
        switch (code) {
          case INVALID_INPUT -> "its own data or settings are not valid";
          case INVALID_ARGUMENT -> "it refused the request";
          case NOT_FOUND -> "it lacks something the job needs";
          case IO_FAILURE -> "it cannot read or write its own storage";
          case TIMEOUT, PROTOCOL, JOB_FAILED -> "the exchange failed";
          case INTERNAL -> "an internal error";
        };
    return "["
        + code
        + "] "
        + what
        + " (the cause is in that party's own log: 'federa logs --job …' at its node)";
  }

  /** A user error with its fix. */
  public static ErrorReport user(ErrorCode code, String message, String fix) {
    return new ErrorReport(code, code.kind(), message, fix);
  }

  /** As the {@code error} member of a JSON reply: {@code {"error": {...}}}. */
  public Envelope envelope() {
    return new Envelope(this);
  }

  /** The JSON object every error reply is. */
  public record Envelope(ErrorReport error) {}

  /** The exception a received report stands for (its code and words). */
  public FederaException toException(String prefix) {
    return new FederaException(code, prefix + message).withFix(fix).shareable();
  }
}
