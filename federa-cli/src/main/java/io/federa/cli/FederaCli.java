package io.federa.cli;

import io.federa.cli.bench.BenchCommand;
import io.federa.cli.data.DatagenCommand;
import io.federa.cli.data.LocalTrainCommand;
import io.federa.cli.demo.DemoCommand;
import io.federa.cli.job.FlowCommands;
import io.federa.cli.job.JobCommand;
import io.federa.cli.job.ModelCommand;
import io.federa.cli.node.FederationCommand;
import io.federa.cli.node.InitCommand;
import io.federa.cli.node.NodeCommand;
import io.federa.cli.node.TableCommand;
import io.federa.cli.node.UploadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code federa} command. */
@Command(
    name = "federa",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Federated learning across organisations: every raw row stays at home.",
      "Every command takes --json and then prints one JSON object on stdout."
    },
    subcommands = {
      VersionCommand.class,
      InitCommand.class,
      NodeCommand.class,
      FederationCommand.class,
      DatagenCommand.class,
      LocalTrainCommand.class,
      DemoCommand.class,
      UploadCommand.class,
      TableCommand.class,
      TableCommand.Download.class,
      JobCommand.class,
      FlowCommands.Submit.class,
      FlowCommands.Query.class,
      FlowCommands.Stop.class,
      FlowCommands.Rerun.class,
      FlowCommands.Metrics.class,
      FlowCommands.OutputData.class,
      FlowCommands.OutputModel.class,
      FlowCommands.Logs.class,
      FlowCommands.Audit.class,
      ModelCommand.class,
      io.federa.cli.job.BoardCommand.class,
      io.federa.cli.job.ServingCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FederaCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The command line with Federa's error handling, for main and for tests. */
  public static CommandLine commandLine() {
    var cli = new CommandLine(new FederaCli());
    withHelp(cli);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::usageError);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Every command and subcommand answers {@code --help} (and {@code -h}) with exit 0. */
  private static void withHelp(CommandLine cl) {
    if (!cl.getCommandSpec().mixinStandardHelpOptions()) {
      cl.getCommandSpec().mixinStandardHelpOptions(true);
    }
    cl.getSubcommands().values().forEach(FederaCli::withHelp);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
