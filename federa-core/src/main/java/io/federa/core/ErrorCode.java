package io.federa.core;

/**
 * Every error Federa reports carries one of these codes. Codes are grouped so that the HTTP and
 * gRPC layers can map a whole group in one place: user errors are the caller's to fix (bad input,
 * bad configuration), resource errors are about the environment (disk, network, time), internal
 * errors are Federa's bugs.
 */
public enum ErrorCode {
  /** A CSV or other input file that cannot be read as a table. */
  INVALID_INPUT(Kind.USER),
  /** An argument or option with a value Federa cannot use. */
  INVALID_ARGUMENT(Kind.USER),
  /** A file, table or party that was asked for but does not exist. */
  NOT_FOUND(Kind.USER),
  /** Reading or writing a file failed. */
  IO_FAILURE(Kind.RESOURCE),
  /** Another party sent data that breaks the protocol (malformed, tampered or out of order). */
  PROTOCOL(Kind.RESOURCE),
  /** A piece of work did not finish in time. */
  TIMEOUT(Kind.RESOURCE),
  /** A job failed at one of its parties (the message names the party, component and cause). */
  JOB_FAILED(Kind.RESOURCE),
  /** An invariant of Federa's own code was broken. */
  INTERNAL(Kind.INTERNAL);

  /** The group an error code belongs to. */
  public enum Kind {
    USER,
    RESOURCE,
    INTERNAL
  }

  private final Kind kind;

  ErrorCode(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
