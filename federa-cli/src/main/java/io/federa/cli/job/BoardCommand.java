package io.federa.cli.job;

import io.federa.cli.Progress;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code federa board link}: the node's web dashboard. */
@Command(
    name = "board",
    description = "The node's web dashboard (jobs, DAGs, curves, logs, privacy view).",
    subcommands = {BoardCommand.Link.class})
public final class BoardCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The board's address with a one-time login. */
  record BoardLink(String url) {}

  @Command(
      name = "link",
      description = "Print a one-time login link to the board (good once, for ten minutes).")
  static final class Link extends FlowCommands.ApiCommand<BoardLink> {
    @Override
    protected BoardLink execute(Progress progress) {
      return new BoardLink(api().boardLink());
    }

    @Override
    protected void printText(BoardLink r, PrintWriter out) {
      out.println(r.url());
    }
  }
}
