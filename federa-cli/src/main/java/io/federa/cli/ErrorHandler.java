package io.federa.cli;

import io.federa.core.ErrorCode;
import io.federa.core.ErrorReport;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Maps exceptions to exit codes and messages, in one place: a user error prints its message (which
 * names the cause and the fix) and exits 2; a resource error exits 3; anything else is a bug,
 * printed with its stack trace, exit 1. With {@code --json} the error is the JSON object {@code
 * {"error": {"code", "kind", "message", "fix"}}} ({@link ErrorReport}) on stdout, also for a
 * command line picocli cannot parse.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    boolean json = commandLine.getCommand() instanceof FederaCommand<?> c && c.json();
    ErrorReport report = ErrorReport.of(ex);
    print(report, json, commandLine);
    if (report.kind() == ErrorCode.Kind.INTERNAL) {
      ex.printStackTrace(commandLine.getErr());
    }
    return exitCode(report.kind());
  }

  /** A command line that does not parse (a missing or unknown option): a user error, exit 2. */
  static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    String fix = "see '" + cl.getCommandSpec().qualifiedName(" ") + " --help'";
    boolean json = Arrays.asList(args).contains("--json");
    print(ErrorReport.user(ErrorCode.INVALID_ARGUMENT, ex.getMessage(), fix), json, cl);
    return exitCode(ErrorCode.Kind.USER);
  }

  private static void print(ErrorReport report, boolean json, CommandLine cl) {
    if (json) {
      PrintWriter out = cl.getOut();
      out.println(Json.write(report.envelope()));
      out.flush();
    } else {
      PrintWriter err = cl.getErr();
      err.println("federa: error: " + report.message());
      if (report.fix() != null) {
        err.println("fix: " + report.fix());
      }
      err.flush();
    }
  }

  private static int exitCode(ErrorCode.Kind kind) {
    return switch (kind) {
      case USER -> 2;
      case RESOURCE -> 3;
      case INTERNAL -> 1;
    };
  }
}
