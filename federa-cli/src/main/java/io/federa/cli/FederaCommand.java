package io.federa.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Base of every subcommand: does the work, then prints either a human-readable text or, with {@code
 * --json}, one JSON object on stdout: its result {@code R} through Federa's one codec.
 */
public abstract class FederaCommand<R> implements Callable<Integer> {
  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--json",
      description = "Print one JSON object on stdout instead of text (for scripts).")
  protected boolean json;

  public boolean json() {
    return json;
  }

  /** Does the command's work and returns its result (written as JSON with {@code --json}). */
  protected abstract R execute(Progress progress) throws Exception;

  /** Prints the result for a person. */
  protected abstract void printText(R result, PrintWriter out);

  /**
   * The exit code of a result that was printed: 0, or (overridden) non-zero when the result itself
   * is a failure a script must notice (every peer unreachable).
   */
  protected int exitCode(R result) {
    return 0;
  }

  @Override
  public final Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    R result;
    try (Progress progress = Progress.forTerminal(!json)) {
      result = execute(progress);
    }
    if (json) {
      out.println(Json.write(result));
    } else {
      printText(result, out);
    }
    out.flush();
    return exitCode(result);
  }
}
