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
    return new FederaException(code, prefix + message).withFix(fix);
  }
}
