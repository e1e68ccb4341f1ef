package io.federa.cli.job;

import io.federa.cli.FederaCommand;
import io.federa.cli.Progress;
import io.federa.flow.dsl.JobValidator;
import io.federa.flow.dsl.Problem;
import io.federa.flow.dsl.ValidatedJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code federa job validate}: checks a FATE v2 DSL and runtime conf before anything runs. */
@Command(
    name = "job",
    description = "Jobs (DSL + runtime conf).",
    subcommands = {
      JobCommand.Validate.class,
      FlowCommands.JobList.class,
      FlowCommands.JobDelete.class
    })
public final class JobCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "validate",
      description = {
        "Check a DSL and runtime conf (FATE v2 shape) before anything runs.",
        "Modules, inputs, cycles, parameter types and parties; errors name the JSON path and the"
            + " fix, differences from FATE come as warnings."
      })
  static final class Validate extends FederaCommand<Validate.Valid> {
    /** A valid job: its components in run order, their modules, the roles, FATE differences. */
    record Valid(
        boolean valid,
        List<String> order,
        Map<String, String> modules,
        Map<String, List<Integer>> roles,
        List<Problem> warnings) {}

    @Option(names = "--dsl", required = true, description = "The job DSL (dsl.json).")
    Path dsl;

    @Option(names = "--conf", required = true, description = "conf.json (runtime conf)")
    Path conf;

    @Override
    protected Valid execute(Progress progress) {
      ValidatedJob job = JobValidator.validate(dsl, conf);
      return new Valid(true, job.order(), job.modules(), job.roles(), job.warnings());
    }

    @Override
    protected void printText(Valid r, PrintWriter out) {
      out.println("valid: " + String.join(" → ", r.order()));
      out.println("roles: " + r.roles());
      for (Problem w : r.warnings()) {
        out.println("warning: " + w.path() + ": " + w.message());
      }
    }
  }
}
