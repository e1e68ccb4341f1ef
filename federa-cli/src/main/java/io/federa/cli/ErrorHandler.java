package io.federa.cli;

import io.federa.core.ErrorCode;
import io.federa.core.FederaException;
import java.util.LinkedHashMap;
import picocli.CommandLine;

/**
 * Maps exceptions to exit codes and messages, in one place: a user error prints its message (which
 * names the cause and the fix) and exits 2; a resource error exits 3; anything else is a bug,
 * printed with its stack trace, exit 1. With {@code --json} the error is a JSON object on stdout.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    boolean json = commandLine.getCommand() instanceof FederaCommand c && c.json();
    ErrorCode code = ex instanceof FederaException fe ? fe.code() : ErrorCode.INTERNAL;
    String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    if (json) {
      var error = new LinkedHashMap<String, Object>();
      error.put("code", code.name());
      error.put("kind", code.kind().name());
      error.put("message", message);
      var root = new LinkedHashMap<String, Object>();
      root.put("error", error);
      commandLine.getOut().println(Json.write(root));
      commandLine.getOut().flush();
    } else {
      commandLine.getErr().println("federa: error: " + message);
    }
    if (code.kind() == ErrorCode.Kind.INTERNAL) {
      ex.printStackTrace(commandLine.getErr());
    }
    return switch (code.kind()) {
      case USER -> 2;
      case RESOURCE -> 3;
      case INTERNAL -> 1;
    };
  }
}
